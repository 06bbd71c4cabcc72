FROM alpine:3.20 AS builder
RUN apk add --no-cache build-base libpcap-dev
WORKDIR /src
COPY . .
RUN make && make install
CMD ["/usr/local/bin/sniffer"]

# runtime stage added by slimfile split-stages (make install): only what the app needs to run
FROM alpine:3.20 AS runtime
WORKDIR /src
RUN apk add --no-cache libstdc++ libgcc libpcap
COPY --from=builder /usr/local /usr/local
CMD ["/usr/local/bin/sniffer"]
