FROM ubuntu:22.04
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y build-essential tzdata curl
WORKDIR /src
COPY . .
RUN mkdir -p /opt/build && cd /opt/build && /src/configure && make && make install && rm -rf /opt/build
CMD ["/usr/local/bin/tool"]
