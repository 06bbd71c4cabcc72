FROM php:8.3-cli-alpine
RUN apk add --no-cache openssl-dev \
    && docker-php-ext-install ftp
WORKDIR /app
COPY . .
CMD ["php", "worker.php"]
