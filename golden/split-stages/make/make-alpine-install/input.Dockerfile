FROM alpine:3.20
RUN apk add --no-cache ca-certificates libcurl zlib
RUN apk add --no-cache --virtual .build-deps build-base curl-dev zlib-dev git
WORKDIR /src
COPY . .
RUN ./configure --prefix=/usr/local && make && make install
CMD ["/usr/local/bin/fetcher", "--serve"]
