FROM alpine:3.20
# the scanner loads the unversioned libpcap.so at run time, which only libpcap-dev ships
RUN apk add --no-cache ca-certificates libpcap-dev
RUN apk add --no-cache --virtual .build-deps build-base linux-headers
WORKDIR /src
COPY . .
RUN make && make install PREFIX=/usr/local
ENTRYPOINT ["/usr/local/bin/scanner"]
