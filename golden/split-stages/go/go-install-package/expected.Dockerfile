FROM golang:1.22 AS builder
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go install ./cmd/server
EXPOSE 8080
CMD ["server"]

# runtime stage added by slimfile split-stages (Go): only what the app needs to run
FROM scratch AS runtime
WORKDIR /src
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /go/bin/server /usr/local/bin/server
EXPOSE 8080
CMD ["server"]
