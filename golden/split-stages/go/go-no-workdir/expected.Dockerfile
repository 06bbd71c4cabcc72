FROM golang:1.22 AS builder
COPY . src/app
RUN cd src/app && CGO_ENABLED=0 go build -o /go/bin/app .
CMD ["app"]

# runtime stage added by slimfile split-stages (Go): only what the app needs to run
FROM scratch AS runtime
WORKDIR /go
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /go/bin/app /usr/local/bin/app
CMD ["app"]
