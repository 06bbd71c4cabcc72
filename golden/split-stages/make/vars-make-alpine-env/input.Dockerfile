FROM alpine:3.20
ENV RUN_DEPS="ca-certificates libcurl zlib" \
    BUILD_DEPS="build-base curl-dev zlib-dev git"
RUN apk add --no-cache $RUN_DEPS
RUN apk add --no-cache --virtual .build-deps $BUILD_DEPS
WORKDIR /src
COPY . .
RUN ./configure --prefix=/usr/local && make && make install
CMD ["/usr/local/bin/fetcher", "--serve"]
