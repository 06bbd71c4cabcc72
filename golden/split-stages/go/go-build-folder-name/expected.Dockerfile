FROM golang:1.10 AS builder
WORKDIR /go/src/github.com/acme/beeper
COPY . .
RUN CGO_ENABLED=0 go build
EXPOSE 8080
CMD ["./beeper"]

# runtime stage added by slimfile split-stages (Go): only what the app needs to run
FROM scratch AS runtime
WORKDIR /go/src/github.com/acme/beeper
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /go/src/github.com/acme/beeper/beeper /go/src/github.com/acme/beeper/beeper
EXPOSE 8080
CMD ["./beeper"]
