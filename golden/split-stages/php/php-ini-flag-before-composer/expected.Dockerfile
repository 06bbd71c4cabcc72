FROM php:8.2-cli-bookworm AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends git unzip libzip-dev \
    && docker-php-ext-install zip \
    && rm -rf /var/lib/apt/lists/*
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
WORKDIR /app
COPY . .
RUN php -d memory_limit=-1 /usr/bin/composer install --no-dev
CMD ["php", "bin/worker.php"]

# runtime stage added by slimfile split-stages (PHP): only what the app needs to run
FROM php:8.2-cli-bookworm AS runtime
WORKDIR /app
RUN apt-get update \
    && apt-get install -y --no-install-recommends libzip4 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /usr/local/lib/php/extensions /usr/local/lib/php/extensions
COPY --from=builder /usr/local/etc/php /usr/local/etc/php
COPY --from=builder /app /app
CMD ["php", "bin/worker.php"]
