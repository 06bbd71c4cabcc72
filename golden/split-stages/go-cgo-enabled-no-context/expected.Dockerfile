FROM golang:1.21-bookworm AS builder
MAINTAINER dev@example.com
ENV GOFLAGS=-mod=vendor
WORKDIR /go/src/github.com/acme/api
COPY . .
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev \
    && go build -o /usr/local/bin/api ./cmd/api
RUN groupadd -r api && useradd -r -g api api
USER api
ENTRYPOINT ["/usr/local/bin/api"]

# runtime stage added by slimfile split-stages (Go): only what the app needs to run
FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-0 \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd -r api && useradd -r -g api api
MAINTAINER dev@example.com
ENV GOFLAGS=-mod=vendor
WORKDIR /go/src/github.com/acme/api
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /usr/local/bin/api /usr/local/bin/api
USER api
ENTRYPOINT ["/usr/local/bin/api"]
