FROM debian:bookworm
RUN apt-get update && apt-get install -y build-essential curl
RUN mkdir -p /tmp2/src && cd /tmp2/src \
    && curl -L https://example.com/lib-1.0.tar.gz | tar xz \
    && cd lib-1.0 && ./configure && make && make install \
    && rm -rf /tmp2
CMD ["/usr/local/bin/lib-demo"]
