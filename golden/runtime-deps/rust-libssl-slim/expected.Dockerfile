FROM rust:1.75 AS builder
RUN apt-get update && apt-get install -y --no-install-recommends libssl-dev pkg-config libpq-dev
WORKDIR /app
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libssl3 libpq5 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /app/target/release/server /usr/local/bin/server
CMD ["server"]
