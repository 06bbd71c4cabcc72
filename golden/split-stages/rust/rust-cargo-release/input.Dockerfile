# syntax=docker/dockerfile:1
FROM rust:1.82-bookworm

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
