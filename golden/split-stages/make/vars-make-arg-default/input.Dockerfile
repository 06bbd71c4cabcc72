FROM ubuntu:22.04
ARG PKGS="build-essential libjpeg-dev"
ARG JPEG=8
RUN apt-get update && apt-get install -y --no-install-recommends $PKGS libjpeg${JPEG}-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN ./configure && make && make install
CMD ["/usr/local/bin/tool"]
