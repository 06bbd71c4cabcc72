FROM debian:bookworm AS builder
RUN apt-get update && apt-get install -y build-essential curl
RUN mkdir -p /tmp2/src && cd /tmp2/src \
    && curl -L https://example.com/lib-1.0.tar.gz | tar xz \
    && cd lib-1.0 && ./configure && make && make install \
    && rm -rf /tmp2
CMD ["/usr/local/bin/lib-demo"]

# runtime stage added by slimfile split-stages (make install): only what the app needs to run
FROM debian:bookworm AS runtime
COPY --from=builder /usr/local /usr/local
RUN ldconfig
CMD ["/usr/local/bin/lib-demo"]
