FROM ubuntu:24.04
RUN apt-get update && apt-get install -y python3-pip && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip3 install --no-cache-dir --break-system-packages -r requirements.txt
CMD ["python3", "bot.py"]
