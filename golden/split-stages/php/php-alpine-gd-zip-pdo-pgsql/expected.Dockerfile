FROM php:8.3-fpm-alpine3.20 AS builder
RUN apk add --no-cache freetype-dev libjpeg-turbo-dev libpng-dev libzip-dev postgresql-dev \
    && docker-php-ext-configure gd --with-freetype --with-jpeg \
    && docker-php-ext-install -j"$(nproc)" gd zip pdo_pgsql
WORKDIR /var/www/html
COPY . .

# runtime stage added by slimfile split-stages (PHP): only what the app needs to run
FROM php:8.3-fpm-alpine3.20 AS runtime
WORKDIR /var/www/html
RUN apk add --no-cache freetype libjpeg-turbo libpng libzip libpq
COPY --from=builder /usr/local/lib/php/extensions /usr/local/lib/php/extensions
COPY --from=builder /usr/local/etc/php /usr/local/etc/php
COPY --from=builder /var/www/html /var/www/html
