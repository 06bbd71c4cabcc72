FROM ubuntu:20.04
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip python3-venv gcc python3-dev \
    && pip3 install --upgrade pip
RUN python3 -m venv /appenv && /appenv/bin/pip install flask
WORKDIR /app
COPY . .
CMD ["/appenv/bin/python", "app.py"]
