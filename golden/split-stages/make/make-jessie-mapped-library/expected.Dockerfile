FROM debian:jessie
RUN apt-get update \
    && apt-get install -y ca-certificates libpq-dev build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY . .
RUN ./configure && make && make install
CMD ["/usr/local/bin/tool", "--serve"]
