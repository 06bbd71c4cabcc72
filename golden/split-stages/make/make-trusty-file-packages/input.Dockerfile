FROM ubuntu:14.04
RUN apt-get update \
    && apt-get install -y ca-certificates unzip build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY . .
RUN ./configure && make && make install
CMD ["/usr/local/bin/tool", "--serve"]
