# slimfile's own image for CI jobs: the static (musl) binary on scratch, nothing else.
# The binary is built on the host first (no crates are fetched inside the build):
#   cargo build --release --locked --target x86_64-unknown-linux-musl   # Debian: apt install musl-tools
#   docker build -t slimfile .                     # .dockerignore sends only that binary
#   docker run --rm -v "$PWD":/work slimfile rewrite --check /work
# For arm64: --target aarch64-unknown-linux-musl and --build-arg TARGET=aarch64-unknown-linux-musl.
FROM scratch
ARG TARGET=x86_64-unknown-linux-musl
COPY target/${TARGET}/release/slimfile /usr/local/bin/slimfile
LABEL org.opencontainers.image.title="slimfile" \
      org.opencontainers.image.description="Rewrite Dockerfiles into lean multi-stage builds"
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/slimfile"]
CMD ["--help"]
