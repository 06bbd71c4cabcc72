FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv build-essential python3-dev libffi-dev
WORKDIR /app
COPY requirements.txt .
RUN python3 -m venv .venv && .venv/bin/pip install --no-cache-dir -r requirements.txt
COPY . .
USER nobody
ENTRYPOINT [".venv/bin/python", "-m", "service"]
