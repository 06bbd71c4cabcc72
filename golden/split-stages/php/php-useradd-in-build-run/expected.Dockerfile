FROM php:8.2-cli-bookworm
WORKDIR /srv/app
COPY . .
RUN apt-get update && apt-get install -y --no-install-recommends git unzip libzip-dev \
    && docker-php-ext-install zip \
    && curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer \
    && composer install --no-dev \
    && useradd -u 1000 app && chown -R app:app /srv/app
USER app
CMD ["php", "bin/worker.php"]
