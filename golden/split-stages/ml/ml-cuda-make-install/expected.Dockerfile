FROM nvidia/cuda:12.1.1-cudnn8-devel-ubuntu22.04 AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends cmake git \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -B build -DCMAKE_INSTALL_PREFIX=/opt/app \
    && cmake --build build -j \
    && cmake --install build
CMD ["/opt/app/bin/infer"]

# runtime stage added by slimfile split-stages (make install): only what the app needs to run
FROM nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04 AS runtime
WORKDIR /src
COPY --from=builder /opt/app /opt/app
RUN ldconfig
CMD ["/opt/app/bin/infer"]
