FROM python:3.11 AS builder
# install into a venv the runtime stage can copy (slimfile split-stages)
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt \
    && huggingface-cli download sentence-transformers/all-MiniLM-L6-v2 --local-dir /models/minilm
COPY . .
ENV MODEL_DIR=/models/minilm
CMD ["python", "app.py"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM python:3.11-slim AS runtime
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /app
ENV MODEL_DIR=/models/minilm
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
COPY --from=builder /models/minilm /models/minilm
CMD ["python", "app.py"]
