FROM alpine:3.20
RUN apk add --no-cache build-base libmnl-dev
WORKDIR /src
COPY . .
RUN make && make install
CMD ["/usr/local/bin/nlmon"]
