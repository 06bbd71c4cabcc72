FROM python:3.12
RUN pip install --no-cache-dir redis
COPY lib /
COPY main.py /main.py
CMD ["python", "/main.py"]
