FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN gcc -o tool tool.c
CMD ["./run.sh"]
