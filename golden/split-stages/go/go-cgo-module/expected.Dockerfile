FROM golang:1.22-bookworm AS builder
WORKDIR /app
COPY . .
RUN go build -o server .
CMD ["/app/server"]

# runtime stage added by slimfile split-stages (Go): only what the app needs to run
FROM debian:bookworm-slim AS runtime
WORKDIR /app
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /app/server /app/server
CMD ["/app/server"]
