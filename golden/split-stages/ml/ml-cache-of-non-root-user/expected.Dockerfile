FROM python:3.11 AS builder
# install into a venv the runtime stage can copy (slimfile split-stages)
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN useradd -m app
WORKDIR /home/app/src
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
USER app
RUN python -c "import whisper; whisper.load_model('base')"
COPY . .
CMD ["python", "app.py"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM python:3.11-slim AS runtime
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /home/app/src
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /home/app/src /home/app/src
RUN useradd -m app
COPY --from=builder --chown=app /home/app/.cache/whisper /home/app/.cache/whisper
USER app
CMD ["python", "app.py"]
