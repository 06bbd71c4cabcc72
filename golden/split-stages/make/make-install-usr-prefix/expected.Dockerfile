FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN cd /src && make && make PREFIX=/usr install
CMD ["tool"]
