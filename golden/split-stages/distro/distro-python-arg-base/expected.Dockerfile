ARG BASE=debian:bookworm
FROM ${BASE} AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-pip python3-venv gcc python3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
RUN python3 -m venv /venv && /venv/bin/pip install --no-cache-dir uvicorn==0.30.6
COPY main.py .
CMD ["/venv/bin/uvicorn", "main:app"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM ${BASE} AS runtime
WORKDIR /app
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /venv /venv
COPY --from=builder /app /app
CMD ["/venv/bin/uvicorn", "main:app"]
