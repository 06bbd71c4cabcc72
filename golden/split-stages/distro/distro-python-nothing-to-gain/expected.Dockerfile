FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-pip \
    && pip3 install --no-cache-dir --break-system-packages flask \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY app.py .
CMD ["python3", "app.py"]
