ARG PY_TAG=3.12-slim
FROM python:${PY_TAG}
COPY app.py /app.py
CMD ["python", "/app.py"]
