FROM golang:1.21-bookworm
MAINTAINER dev@example.com
ENV GOFLAGS=-mod=vendor
WORKDIR /go/src/github.com/acme/api
COPY . .
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev \
    && go build -o /usr/local/bin/api ./cmd/api
RUN groupadd -r api && useradd -r -g api api
USER api
ENTRYPOINT ["/usr/local/bin/api"]
