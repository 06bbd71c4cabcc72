FROM debian:bookworm-slim AS base
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*

FROM base
COPY --from=bash /usr/local/bin/bash /bin/
CMD ["/bin/bash"]
