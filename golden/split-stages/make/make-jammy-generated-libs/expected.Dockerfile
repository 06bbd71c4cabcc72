FROM ubuntu:22.04 AS builder
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libjpeg-dev libmysqlclient-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN ./configure && make && make install
CMD ["/usr/local/bin/tool"]

# runtime stage added by slimfile split-stages (make install): only what the app needs to run
FROM ubuntu:22.04 AS runtime
WORKDIR /src
RUN apt-get update \
    && apt-get install -y --no-install-recommends libjpeg-turbo8 libmysqlclient21 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /usr/local /usr/local
RUN ldconfig
CMD ["/usr/local/bin/tool"]
