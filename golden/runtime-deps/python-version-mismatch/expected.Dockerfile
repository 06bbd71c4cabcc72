FROM python:3.11 AS builder
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt

FROM python:3.12-slim
COPY --from=builder /app /app
CMD ["python", "/app/main.py"]
