FROM golang:1.22 AS builder
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o server .
COPY config.yaml /etc/app/config.yaml
CMD ["/app/server", "-config", "/etc/app/config.yaml"]

# runtime stage added by slimfile split-stages (Go): only what the app needs to run
FROM scratch AS runtime
WORKDIR /app
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /app/server /app/server
COPY --from=builder /etc/app/config.yaml /etc/app/config.yaml
CMD ["/app/server", "-config", "/etc/app/config.yaml"]
