FROM python:3.11-bullseye
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libmysqlclient-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "app.py"]
