FROM ubuntu:22.04 AS builder
ARG PKGS="build-essential libjpeg-dev"
ARG JPEG=8
RUN apt-get update && apt-get install -y --no-install-recommends $PKGS libjpeg${JPEG}-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN ./configure && make && make install
CMD ["/usr/local/bin/tool"]

# runtime stage added by slimfile split-stages (make install): only what the app needs to run
FROM ubuntu:22.04 AS runtime
ARG PKGS="build-essential libjpeg-dev"
ARG JPEG=8
WORKDIR /src
RUN apt-get update \
    && apt-get install -y --no-install-recommends libjpeg-turbo8 libjpeg8 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /usr/local /usr/local
RUN ldconfig
CMD ["/usr/local/bin/tool"]
