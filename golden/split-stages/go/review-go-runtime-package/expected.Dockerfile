FROM golang:1.22-bookworm AS builder
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/transcoder .
CMD ["transcoder"]

# runtime stage added by slimfile split-stages (Go): only what the app needs to run
FROM debian:bookworm-slim AS runtime
WORKDIR /src
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /usr/local/bin/transcoder /usr/local/bin/transcoder
CMD ["transcoder"]
