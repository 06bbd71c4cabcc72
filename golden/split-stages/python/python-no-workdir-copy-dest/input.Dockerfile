FROM python:3.12
COPY requirements.txt /app/
RUN pip install --no-cache-dir -r /app/requirements.txt
COPY . /app
CMD ["python", "/app/main.py"]
