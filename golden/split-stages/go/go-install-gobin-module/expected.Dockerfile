FROM golang:1.22 AS builder
ENV GOBIN=/usr/local/bin
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go install
CMD ["/usr/local/bin/hello"]

# runtime stage added by slimfile split-stages (Go): only what the app needs to run
FROM scratch AS runtime
ENV GOBIN=/usr/local/bin
WORKDIR /src
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /usr/local/bin/hello /usr/local/bin/hello
CMD ["/usr/local/bin/hello"]
