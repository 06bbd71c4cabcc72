FROM python:3.12 AS builder
# install into a venv the runtime stage can copy (slimfile split-stages)
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
ARG APP_UID=1000
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN useradd -u $APP_UID -m appuser
USER appuser
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM python:3.12-slim AS runtime
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
ARG APP_UID=1000
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
RUN useradd -u $APP_UID -m appuser
USER appuser
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
