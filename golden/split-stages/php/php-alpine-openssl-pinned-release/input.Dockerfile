FROM php:8.1-cli-alpine3.16
RUN apk add --no-cache openssl-dev icu-dev \
    && docker-php-ext-install ftp intl
WORKDIR /app
COPY . .
CMD ["php", "worker.php"]
