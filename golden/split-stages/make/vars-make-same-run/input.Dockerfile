FROM ubuntu:22.04
WORKDIR /src
COPY . .
RUN buildDeps='build-essential libjpeg-dev' \
    && export LIBS="libmysqlclient-dev" \
    && apt-get update && apt-get install -y --no-install-recommends $buildDeps "$LIBS" \
    && rm -rf /var/lib/apt/lists/* \
    && ./configure && make && make install
CMD ["/usr/local/bin/tool"]
