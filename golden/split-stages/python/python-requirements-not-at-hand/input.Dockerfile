FROM python:3.12
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements/prod.txt
CMD ["gunicorn", "app:app"]
