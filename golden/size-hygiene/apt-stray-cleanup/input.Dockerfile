FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends jq
COPY app.sh /app.sh
RUN rm -rf /var/lib/apt/lists/*
CMD ["/app.sh"]
