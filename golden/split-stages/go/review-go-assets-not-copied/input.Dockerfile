FROM golang:1.22-bookworm
WORKDIR /src
COPY go.mod go.sum ./
COPY cmd/ ./cmd/
RUN go build -o /usr/local/bin/server ./cmd/server
WORKDIR /srv
CMD ["server"]
