FROM python:3.11-bookworm
WORKDIR /app
COPY app.py .
RUN pip install --no-cache-dir "mysqlclient==2.2.4" "gunicorn==22.0.0"
CMD ["gunicorn", "app:app"]
