FROM python:3.10-bullseye
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential dpkg-dev libargon2-dev libmcrypt-dev default-libmysqlclient-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "app.py"]
