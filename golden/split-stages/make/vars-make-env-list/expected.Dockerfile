FROM ubuntu:22.04 AS builder
ENV BUILD_DEPS \
    build-essential \
    libjpeg-dev
RUN apt-get update && apt-get install -y --no-install-recommends $BUILD_DEPS && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN ./configure && make && make install
CMD ["/usr/local/bin/tool"]

# runtime stage added by slimfile split-stages (make install): only what the app needs to run
FROM ubuntu:22.04 AS runtime
ENV BUILD_DEPS \
    build-essential \
    libjpeg-dev
WORKDIR /src
RUN apt-get update \
    && apt-get install -y --no-install-recommends libjpeg-turbo8 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /usr/local /usr/local
RUN ldconfig
CMD ["/usr/local/bin/tool"]
