FROM golang:1.22 AS builder
WORKDIR /app
COPY . .
RUN cd cmd/server && CGO_ENABLED=0 go build -o ../../bin/server .
CMD ["/app/bin/server"]

# runtime stage added by slimfile split-stages (Go): only what the app needs to run
FROM scratch AS runtime
WORKDIR /app
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /app/bin/server /app/bin/server
CMD ["/app/bin/server"]
