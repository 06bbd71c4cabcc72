FROM php:8.3-cli AS composer
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev

FROM php:8.3-cli
WORKDIR /app
COPY --from=composer /app/vendor ./vendor
COPY . .
CMD ["php", "bin/console"]
