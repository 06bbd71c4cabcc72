FROM ubuntu:22.04
RUN apt-get update \
    && apt-get install -y build-essential curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY . .
RUN ./configure && make && make install
CMD ["bash"]
