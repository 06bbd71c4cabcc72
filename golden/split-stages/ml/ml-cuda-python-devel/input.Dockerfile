FROM nvidia/cuda:11.8.0-devel-ubuntu22.04
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-pip libpq-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip3 install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python3", "app.py"]
