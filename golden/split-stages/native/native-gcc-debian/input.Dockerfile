FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential libcurl4-openssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY fetch.c .
RUN gcc -O2 -o /usr/local/bin/fetch fetch.c -lcurl
ENTRYPOINT ["fetch"]
