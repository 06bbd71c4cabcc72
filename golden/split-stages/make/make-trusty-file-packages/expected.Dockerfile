FROM ubuntu:14.04 AS builder
RUN apt-get update \
    && apt-get install -y ca-certificates unzip build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY . .
RUN ./configure && make && make install
CMD ["/usr/local/bin/tool", "--serve"]

# runtime stage added by slimfile split-stages (make install): only what the app needs to run
FROM ubuntu:14.04 AS runtime
WORKDIR /build
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates unzip \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /usr/local /usr/local
RUN ldconfig
CMD ["/usr/local/bin/tool", "--serve"]
