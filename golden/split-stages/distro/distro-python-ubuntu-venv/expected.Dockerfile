FROM ubuntu:22.04 AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-venv gcc python3-dev \
    && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "main.py"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM ubuntu:22.04 AS runtime
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /srv/app
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /srv/app /srv/app
CMD ["python", "main.py"]
