from python:3.12-slim as base
run pip install --no-cache-dir flask

from base as app
copy app.py /app/app.py
cmd ["python", "/app/app.py"]
