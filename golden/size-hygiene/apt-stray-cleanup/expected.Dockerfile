FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends jq \
    && rm -rf /var/lib/apt/lists/*
COPY app.sh /app.sh
CMD ["/app.sh"]
