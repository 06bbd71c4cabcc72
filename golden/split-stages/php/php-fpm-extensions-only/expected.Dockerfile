FROM php:8.3-fpm-bookworm AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends libfreetype-dev libjpeg62-turbo-dev libpng-dev \
    && docker-php-ext-configure gd --with-freetype --with-jpeg \
    && docker-php-ext-install -j"$(nproc)" gd pdo_mysql \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /var/www/html
COPY . .

# runtime stage added by slimfile split-stages (PHP): only what the app needs to run
FROM php:8.3-fpm-bookworm AS runtime
WORKDIR /var/www/html
RUN apt-get update \
    && apt-get install -y --no-install-recommends libfreetype6 libjpeg62-turbo libpng16-16 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /usr/local/lib/php/extensions /usr/local/lib/php/extensions
COPY --from=builder /usr/local/etc/php /usr/local/etc/php
COPY --from=builder /var/www/html /var/www/html
