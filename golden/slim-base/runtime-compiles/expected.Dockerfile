FROM python:3.12 AS base
RUN pip install --no-cache-dir poetry

FROM python:3.12
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev \
    && rm -rf /var/lib/apt/lists/*
COPY --from=base /usr/local /usr/local
COPY . /app
RUN pip install --no-cache-dir psycopg2==2.9.9
CMD ["python", "/app/main.py"]
