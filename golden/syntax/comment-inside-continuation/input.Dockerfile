FROM ubuntu:24.04
RUN \
# refresh the index first
    apt-get update \
    # then the packages we need
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["git"]
