# syntax=docker/dockerfile:1
FROM rust:1.80 AS build
WORKDIR /src
COPY --link Cargo.toml Cargo.lock ./
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo fetch
COPY --link --parents src/ ./
RUN --mount=type=cache,target=/src/target cargo build --release && cp target/release/app /app

FROM debian:bookworm-slim
COPY --link --from=build /app /usr/local/bin/app
CMD ["app"]
