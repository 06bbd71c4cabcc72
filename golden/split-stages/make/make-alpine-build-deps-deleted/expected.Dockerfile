FROM alpine:3.20
WORKDIR /src
COPY . .
RUN apk add --no-cache libcurl \
    && apk add --no-cache --virtual .build-deps build-base curl-dev \
    && ./configure --prefix=/usr/local && make && make install \
    && apk del .build-deps
CMD ["/usr/local/bin/fetcher", "--serve"]
