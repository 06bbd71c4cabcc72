FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev make ca-certificates curl \
    && curl -fsSL https://example.com/tool-1.0.tar.gz | tar xz -C /tmp \
    && make -C /tmp/tool-1.0 && cp /tmp/tool-1.0/tool /usr/bin/tool \
    && apt-get purge -y --auto-remove gcc libc6-dev make curl \
    && rm -rf /var/lib/apt/lists/* /tmp/tool-1.0
CMD ["tool", "--serve"]
