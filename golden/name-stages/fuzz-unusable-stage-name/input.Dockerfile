FROM golang:1.22 AS "build er"
RUN go version
FROM alpine:3.19
COPY --from=0 /usr/local/go/VERSION /
COPY --from=buil /usr/local/go/VERSION /v2
