FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client && rm -rf /var/lib/apt/lists/*
CMD ["psql", "--version"]
