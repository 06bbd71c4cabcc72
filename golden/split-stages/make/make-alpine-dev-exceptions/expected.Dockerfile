FROM alpine:3.20 AS builder
RUN apk add --no-cache build-base curl-dev sqlite-dev
WORKDIR /src
COPY . .
RUN make && make install
CMD ["/usr/local/bin/fetcher"]

# runtime stage added by slimfile split-stages (make install): only what the app needs to run
FROM alpine:3.20 AS runtime
WORKDIR /src
RUN apk add --no-cache libstdc++ libgcc libcurl sqlite-libs
COPY --from=builder /usr/local /usr/local
CMD ["/usr/local/bin/fetcher"]
