FROM ubuntu:22.04
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-pip build-essential python3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip3 install --no-cache-dir -r deploy/requirements.txt
CMD ["python3", "main.py"]
