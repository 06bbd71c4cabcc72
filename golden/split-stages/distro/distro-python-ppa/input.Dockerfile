FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends software-properties-common gcc \
    && add-apt-repository ppa:deadsnakes/ppa \
    && apt-get install -y --no-install-recommends python3.12 python3.12-venv python3-pip \
    && pip3 install flask
WORKDIR /app
COPY . .
CMD ["python3.12", "app.py"]
