FROM python:3.11 AS builder
WORKDIR /app
COPY . .
RUN pip install --user -r requirements.txt

FROM python:3.11-slim
COPY --from=builder /app /app
USER 1000
CMD ["python", "/app/app.py"]
