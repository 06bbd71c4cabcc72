FROM php:8.2-cli-bookworm
ENV BUILD_DEPS="git unzip libzip-dev" \
    PG=libpq
RUN apt-get update \
    && apt-get install -y --no-install-recommends $BUILD_DEPS ${PG}-dev \
    && docker-php-ext-install zip pdo_pgsql \
    && rm -rf /var/lib/apt/lists/*
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-interaction --prefer-dist
COPY . .
EXPOSE 8080
CMD ["php", "-S", "0.0.0.0:8080", "-t", "public"]
