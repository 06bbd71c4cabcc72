FROM ubuntu:22.04
ENV BUILD_DEPS \
    build-essential \
    libjpeg-dev
RUN apt-get update && apt-get install -y --no-install-recommends $BUILD_DEPS && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN ./configure && make && make install
CMD ["/usr/local/bin/tool"]
