FROM rust:1.75 AS builder
WORKDIR /app
COPY . .
RUN cargo build --release

FROM alpine:3.19
COPY --from=builder /app/target/release/server /usr/local/bin/server
CMD ["server"]
