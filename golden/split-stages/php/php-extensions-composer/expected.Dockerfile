FROM php:8.2-cli-bookworm AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends git unzip libzip-dev libpq-dev \
    && docker-php-ext-install zip pdo_pgsql \
    && pecl install redis \
    && docker-php-ext-enable redis \
    && rm -rf /var/lib/apt/lists/* /tmp/pear
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-interaction --prefer-dist
COPY . .
EXPOSE 8080
CMD ["php", "-S", "0.0.0.0:8080", "-t", "public"]

# runtime stage added by slimfile split-stages (PHP): only what the app needs to run
FROM php:8.2-cli-bookworm AS runtime
WORKDIR /app
RUN apt-get update \
    && apt-get install -y --no-install-recommends libzip4 libpq5 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /usr/local/lib/php/extensions /usr/local/lib/php/extensions
COPY --from=builder /usr/local/etc/php /usr/local/etc/php
COPY --from=builder /app /app
EXPOSE 8080
CMD ["php", "-S", "0.0.0.0:8080", "-t", "public"]
