FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-pip python3-venv build-essential \
    && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /venv && /venv/bin/pip install --no-cache-dir opencv-python-headless==4.10.0.84 numpy==1.26.4
WORKDIR /app
COPY detect.py .
CMD ["/venv/bin/python", "detect.py"]
