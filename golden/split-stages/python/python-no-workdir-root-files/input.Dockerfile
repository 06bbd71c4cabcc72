FROM python:3.12
RUN pip install --no-cache-dir redis
COPY ./worker.py /worker.py
COPY ./rediswq.py /
CMD python worker.py
