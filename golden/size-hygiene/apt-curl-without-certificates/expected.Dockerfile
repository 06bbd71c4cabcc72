FROM debian:bookworm-slim
RUN apt-get update && apt-get install --no-install-recommends -y curl ca-certificates \
    && rm -rf /var/lib/apt/lists/*
CMD ["curl", "https://example.com"]
