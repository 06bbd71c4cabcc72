FROM php:8.1-cli-alpine3.16 AS builder
RUN apk add --no-cache openssl-dev icu-dev \
    && docker-php-ext-install ftp intl
WORKDIR /app
COPY . .
CMD ["php", "worker.php"]

# runtime stage added by slimfile split-stages (PHP): only what the app needs to run
FROM php:8.1-cli-alpine3.16 AS runtime
WORKDIR /app
RUN apk add --no-cache libssl1.1 libcrypto1.1 icu-libs icu-data-full
COPY --from=builder /usr/local/lib/php/extensions /usr/local/lib/php/extensions
COPY --from=builder /usr/local/etc/php /usr/local/etc/php
COPY --from=builder /app /app
CMD ["php", "worker.php"]
