FROM python:3.11 AS builder
# install into a venv the runtime stage can copy (slimfile split-stages)
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY deploy/requirements-prod.txt /app/requirements.txt
RUN pip install --no-cache-dir -r /app/requirements.txt
COPY src /app
WORKDIR /app
CMD ["python", "main.py"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM python:3.11-slim AS runtime
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /app
# the libraries pip's source builds link, as the full image has them
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
CMD ["python", "main.py"]
