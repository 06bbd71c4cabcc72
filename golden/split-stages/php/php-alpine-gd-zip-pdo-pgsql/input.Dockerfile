FROM php:8.3-fpm-alpine3.20
RUN apk add --no-cache freetype-dev libjpeg-turbo-dev libpng-dev libzip-dev postgresql-dev \
    && docker-php-ext-configure gd --with-freetype --with-jpeg \
    && docker-php-ext-install -j"$(nproc)" gd zip pdo_pgsql
WORKDIR /var/www/html
COPY . .
