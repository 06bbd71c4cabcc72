FROM debian:bookworm AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential libcurl4-openssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY fetch.c .
RUN gcc -O2 -o /usr/local/bin/fetch fetch.c -lcurl
ENTRYPOINT ["fetch"]

# runtime stage added by slimfile split-stages (Native): only what the app needs to run
FROM debian:bookworm AS runtime
WORKDIR /src
RUN apt-get update \
    && apt-get install -y --no-install-recommends libcurl4 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /usr/local/bin/fetch /usr/local/bin/fetch
ENTRYPOINT ["fetch"]
