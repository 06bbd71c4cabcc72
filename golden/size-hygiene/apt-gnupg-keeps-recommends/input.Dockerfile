FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y gnupg && rm -rf /var/lib/apt/lists/*
CMD ["gpg", "--version"]
