FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libjpeg-dev libmysqlclient-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN ./configure && make && make install
CMD ["/usr/local/bin/tool"]
