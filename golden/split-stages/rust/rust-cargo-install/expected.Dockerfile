FROM rust:1.82-slim-bookworm AS builder
WORKDIR /src
COPY . .
RUN cargo install --path . --locked
RUN useradd --system --no-create-home tool
USER tool
ENTRYPOINT ["linkcheck"]
CMD ["--help"]

# runtime stage added by slimfile split-stages (Rust): only what the app needs to run
FROM debian:bookworm-slim AS runtime
WORKDIR /src
COPY --from=builder /usr/local/cargo/bin/linkcheck /usr/local/bin/linkcheck
RUN useradd --system --no-create-home tool
USER tool
ENTRYPOINT ["linkcheck"]
CMD ["--help"]
