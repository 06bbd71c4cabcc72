FROM alpine:3.20 AS builder
ENV RUN_DEPS="ca-certificates libcurl zlib" \
    BUILD_DEPS="build-base curl-dev zlib-dev git"
RUN apk add --no-cache $RUN_DEPS
RUN apk add --no-cache --virtual .build-deps $BUILD_DEPS
WORKDIR /src
COPY . .
RUN ./configure --prefix=/usr/local && make && make install
CMD ["/usr/local/bin/fetcher", "--serve"]

# runtime stage added by slimfile split-stages (make install): only what the app needs to run
FROM alpine:3.20 AS runtime
ENV RUN_DEPS="ca-certificates libcurl zlib" \
    BUILD_DEPS="build-base curl-dev zlib-dev git"
WORKDIR /src
RUN apk add --no-cache ca-certificates libcurl zlib libstdc++ libgcc
COPY --from=builder /usr/local /usr/local
CMD ["/usr/local/bin/fetcher", "--serve"]
