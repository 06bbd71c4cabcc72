FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends jq || true
CMD ["jq"]
