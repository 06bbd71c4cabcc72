FROM python:3.12
RUN pip install --no-cache-dir redis
COPY worker.py /usr/local/bin/
CMD ["python", "/usr/local/bin/worker.py"]
