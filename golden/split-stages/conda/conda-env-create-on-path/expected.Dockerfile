FROM continuumio/miniconda3:24.7.1-0 AS builder
WORKDIR /app
COPY environment.yml .
RUN conda env create -f environment.yml && conda clean --all --yes
ENV PATH=/opt/conda/envs/churn/bin:$PATH
COPY . .
EXPOSE 5000
CMD ["gunicorn", "--bind", "0.0.0.0:5000", "app:app"]

# runtime stage added by slimfile split-stages (Conda): only what the app needs to run
FROM debian:bookworm-slim AS runtime
ENV LANG=C.UTF-8 LC_ALL=C.UTF-8
ENV PATH=/opt/conda/bin:$PATH
WORKDIR /app
ENV PATH=/opt/conda/envs/churn/bin:$PATH
# the libraries of continuumio/miniconda3:24.7.1-0, as it installs them
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends bzip2 ca-certificates libglib2.0-0 libsm6 libxext6 libxrender1 procps \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /opt/conda/envs/churn /opt/conda/envs/churn
COPY --from=builder /app /app
EXPOSE 5000
CMD ["gunicorn", "--bind", "0.0.0.0:5000", "app:app"]
