FROM golang:1.22 AS builder
WORKDIR /src
COPY . .
RUN go build -o /out/server ./cmd/server

FROM alpine:3.19
RUN --mount=type=bind,from=0,source=/out,target=/mnt cp /mnt/server /usr/local/bin/server
COPY --from=builder /src/config.yaml /etc/server/config.yaml
CMD ["server"]
