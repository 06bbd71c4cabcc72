FROM ubuntu:22.04
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install --no-install-recommends -y git ca-certificates openssh-client \
    && rm -rf /var/lib/apt/lists/*
CMD ["git", "--version"]
