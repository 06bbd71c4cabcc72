FROM debian:bookworm as build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src/tool
COPY . .
RUN ./configure --prefix=/usr/local && make && make install
CMD ["tool"]
