FROM ubuntu:24.04 AS builder
RUN apt-get update && apt-get install -y python3-pip && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip3 install --no-cache-dir --break-system-packages -r requirements.txt
CMD ["python3", "bot.py"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM ubuntu:24.04 AS runtime
WORKDIR /app
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /usr/local/lib/python3.12/dist-packages /usr/local/lib/python3.12/dist-packages
COPY --from=builder /usr/local/bin /usr/local/bin
COPY --from=builder /app /app
CMD ["python3", "bot.py"]
