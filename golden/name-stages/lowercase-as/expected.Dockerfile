from python:3.12-slim AS base
run pip install --no-cache-dir flask

from base AS app
copy app.py /app/app.py
cmd ["python", "/app/app.py"]
