FROM debian:12 AS builder
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv build-essential python3-dev libffi-dev
WORKDIR /app
COPY requirements.txt .
RUN python3 -m venv .venv && .venv/bin/pip install --no-cache-dir -r requirements.txt
COPY . .
USER nobody
ENTRYPOINT [".venv/bin/python", "-m", "service"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM debian:12 AS runtime
WORKDIR /app
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 libffi8 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /app /app
USER nobody
ENTRYPOINT [".venv/bin/python", "-m", "service"]
