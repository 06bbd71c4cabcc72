FROM continuumio/miniconda3 AS builder
RUN conda create -y -n serve python=3.11 && conda clean -afy
COPY requirements.txt /tmp/requirements.txt
RUN /opt/conda/envs/serve/bin/pip install --no-cache-dir -r /tmp/requirements.txt
WORKDIR /app
COPY . .
CMD ["/opt/conda/envs/serve/bin/python", "main.py"]

# runtime stage added by slimfile split-stages (Conda): only what the app needs to run
FROM debian:bookworm-slim AS runtime
ENV LANG=C.UTF-8 LC_ALL=C.UTF-8
ENV PATH=/opt/conda/bin:$PATH
WORKDIR /app
# the libraries of continuumio/miniconda3, as it installs them
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends bzip2 ca-certificates libglib2.0-0 libsm6 libxext6 libxrender1 procps \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /opt/conda/envs/serve /opt/conda/envs/serve
COPY --from=builder /app /app
COPY --from=builder /tmp/requirements.txt /tmp/requirements.txt
CMD ["/opt/conda/envs/serve/bin/python", "main.py"]
