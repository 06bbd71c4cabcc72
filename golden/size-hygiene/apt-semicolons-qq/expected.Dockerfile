FROM ubuntu:22.04
RUN apt update; DEBIAN_FRONTEND=noninteractive apt install --no-install-recommends -qq --yes tzdata; apt-get clean \
    && rm -rf /var/lib/apt/lists/*
CMD ["date"]
