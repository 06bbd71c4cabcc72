# syntax=docker/dockerfile:1
FROM rust:1.82-bookworm AS builder

# native TLS for reqwest
RUN apt-get update && apt-get install -y --no-install-recommends \
        pkg-config \
        libssl-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /usr/src/weather
COPY . .
RUN cargo build --release --locked

ENV RUST_LOG=info
EXPOSE 8080
CMD ["./target/release/weather-api"]

# runtime stage added by slimfile split-stages (Rust): only what the app needs to run
FROM debian:bookworm-slim AS runtime
WORKDIR /usr/src/weather
ENV RUST_LOG=info
RUN apt-get update \
    && apt-get install -y --no-install-recommends libssl3 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /usr/src/weather/target/release/weather-api /usr/src/weather/target/release/weather-api
EXPOSE 8080
CMD ["./target/release/weather-api"]
