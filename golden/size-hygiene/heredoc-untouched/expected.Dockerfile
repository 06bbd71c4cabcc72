# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN <<EOT
apt-get update
apt-get install -y jq
EOT
CMD ["jq"]
