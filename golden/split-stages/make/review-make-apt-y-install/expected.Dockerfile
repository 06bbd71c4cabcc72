FROM debian:bookworm AS builder
RUN apt-get update && apt-get -y install build-essential libpq-dev libssl-dev curl
WORKDIR /src
COPY . .
RUN ./configure && make && make install
CMD ["/usr/local/bin/tool"]

# runtime stage added by slimfile split-stages (make install): only what the app needs to run
FROM debian:bookworm AS runtime
WORKDIR /src
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 libssl3 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /usr/local /usr/local
RUN ldconfig
CMD ["/usr/local/bin/tool"]
