FROM nvidia/cuda:12.1.1-cudnn8-devel-ubuntu22.04
RUN apt-get update \
    && apt-get install -y --no-install-recommends cmake git \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -B build -DCMAKE_INSTALL_PREFIX=/opt/app \
    && cmake --build build -j \
    && cmake --install build
CMD ["/opt/app/bin/infer"]
