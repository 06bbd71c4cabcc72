FROM python:3.12-bookworm AS builder
# install into a venv the runtime stage can copy (slimfile split-stages)
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
LABEL org.opencontainers.image.source="https://example.com/acme/web"
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential libpq-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/web
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN useradd --create-home web
USER web
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "web.wsgi"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM python:3.12-slim-bookworm AS runtime
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
LABEL org.opencontainers.image.source="https://example.com/acme/web"
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
WORKDIR /srv/web
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /srv/web /srv/web
RUN useradd --create-home web
USER web
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "web.wsgi"]
