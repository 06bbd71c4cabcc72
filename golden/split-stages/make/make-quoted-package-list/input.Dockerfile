FROM debian:bookworm
WORKDIR /build
COPY . .
RUN deps="gcc make"; apt-get update \
    && apt-get install -y "$deps" \
    && ./configure && make && make install \
    && rm -rf /var/lib/apt/lists/*
CMD ["/usr/local/bin/tool", "--serve"]
