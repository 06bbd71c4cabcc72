FROM ubuntu:22.04
ENV BUILD_DEPS="build-essential libjpeg-dev"
WORKDIR /src
COPY . .
RUN apt-get update && apt-get install -y --no-install-recommends $BUILD_DEPS \
    && ./configure && make && make install \
    && apt-get purge -y --auto-remove $BUILD_DEPS \
    && rm -rf /var/lib/apt/lists/*
CMD ["/usr/local/bin/tool"]
