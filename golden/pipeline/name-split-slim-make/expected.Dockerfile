FROM debian:bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src/tool
COPY . .
RUN ./configure --prefix=/usr/local && make && make install
CMD ["tool"]

# runtime stage added by slimfile split-stages (make install): only what the app needs to run
FROM debian:bookworm-slim AS runtime
WORKDIR /src/tool
RUN apt-get update \
    && apt-get install -y --no-install-recommends zlib1g \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local /usr/local
RUN ldconfig
CMD ["tool"]
