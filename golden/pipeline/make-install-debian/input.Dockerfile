FROM debian:bookworm

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
