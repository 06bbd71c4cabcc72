FROM python:3.11
COPY deploy/requirements-prod.txt /app/requirements.txt
RUN pip install --no-cache-dir -r /app/requirements.txt
COPY src /app
WORKDIR /app
CMD ["python", "main.py"]
