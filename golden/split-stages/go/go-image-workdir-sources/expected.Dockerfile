FROM golang:1.22 AS builder
COPY app.go .
COPY lib/ /go/src/example.com/app/lib/
RUN CGO_ENABLED=0 go build app.go
CMD ["./app"]

# runtime stage added by slimfile split-stages (Go): only what the app needs to run
FROM scratch AS runtime
WORKDIR /go
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /go/app /go/app
CMD ["./app"]
