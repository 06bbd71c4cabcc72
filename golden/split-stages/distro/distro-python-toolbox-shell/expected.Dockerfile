FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip build-essential git curl \
    && pip3 install --no-cache-dir numpy pandas jupyter
WORKDIR /work
CMD ["/bin/bash"]
