FROM python:3.12-bookworm
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
