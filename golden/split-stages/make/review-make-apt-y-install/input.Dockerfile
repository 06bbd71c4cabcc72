FROM debian:bookworm
RUN apt-get update && apt-get -y install build-essential libpq-dev libssl-dev curl
WORKDIR /src
COPY . .
RUN ./configure && make && make install
CMD ["/usr/local/bin/tool"]
