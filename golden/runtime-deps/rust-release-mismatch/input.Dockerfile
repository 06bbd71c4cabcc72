FROM rust:1.75-bookworm AS builder
RUN apt-get update && apt-get install -y libssl-dev
WORKDIR /app
COPY . .
RUN cargo build --release

FROM debian:bullseye-slim
COPY --from=builder /app/target/release/server /usr/local/bin/server
CMD ["server"]
