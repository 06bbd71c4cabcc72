FROM debian:bookworm AS builder

RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential autoconf automake libtool \
      zlib1g-dev ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src/hello
COPY . .
RUN ./configure --prefix=/usr/local \
 && make -j"$(nproc)" \
 && make install

CMD ["hello", "--greeting=hi"]

# runtime stage added by slimfile split-stages (make install): only what the app needs to run
FROM debian:bookworm-slim AS runtime
WORKDIR /src/hello
RUN apt-get update \
    && apt-get install -y --no-install-recommends zlib1g ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /usr/local /usr/local
RUN ldconfig
CMD ["hello", "--greeting=hi"]
