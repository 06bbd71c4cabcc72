FROM golang:1.22-alpine3.19 AS builder
RUN apk add --no-cache gcc musl-dev
WORKDIR /app
COPY . .
RUN go build -o server .
CMD ["/app/server"]

# runtime stage added by slimfile split-stages (Go): only what the app needs to run
FROM alpine:3.19 AS runtime
WORKDIR /app
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /app/server /app/server
CMD ["/app/server"]
