FROM ubuntu:22.04 AS builder
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y build-essential tzdata curl
WORKDIR /src
COPY . .
RUN mkdir -p /opt/build && cd /opt/build && /src/configure && make && make install && rm -rf /opt/build
CMD ["/usr/local/bin/tool"]

# runtime stage added by slimfile split-stages (make install): only what the app needs to run
FROM ubuntu:22.04 AS runtime
ENV DEBIAN_FRONTEND=noninteractive
WORKDIR /src
RUN apt-get update \
    && apt-get install -y --no-install-recommends tzdata \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /usr/local /usr/local
RUN ldconfig
CMD ["/usr/local/bin/tool"]
