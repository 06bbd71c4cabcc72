FROM python:3.12
COPY . /app
RUN pip install --no-cache-dir -r /app/requirements.txt
CMD ["gunicorn", "--chdir", "/app", "app:app"]
