FROM golang:1.22 AS build
RUN go version
FROM alpine:3.19
COPY --from=2 /out /out
COPY --from=1 /etc/os-release /tmp/
CMD ["sh"]
