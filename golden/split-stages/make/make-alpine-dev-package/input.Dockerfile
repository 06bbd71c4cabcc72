FROM alpine:3.20
RUN apk add --no-cache build-base libpcap-dev
WORKDIR /src
COPY . .
RUN make && make install
CMD ["/usr/local/bin/sniffer"]
