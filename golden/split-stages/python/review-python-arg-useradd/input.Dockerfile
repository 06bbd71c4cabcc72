FROM python:3.12
ARG APP_UID=1000
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN useradd -u $APP_UID -m appuser
USER appuser
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
