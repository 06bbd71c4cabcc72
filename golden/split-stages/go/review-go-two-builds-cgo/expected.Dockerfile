FROM golang:1.22-bookworm AS builder
WORKDIR /src
COPY . .
RUN go build -o /out/migrate ./cmd/migrate && CGO_ENABLED=0 go build -o /out/server .
CMD ["/out/server"]

# runtime stage added by slimfile split-stages (Go): only what the app needs to run
FROM scratch AS runtime
WORKDIR /src
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /out/server /out/server
COPY --from=builder /out/migrate /out/migrate
CMD ["/out/server"]
