FROM python:3.11 AS builder
# install into a venv the runtime stage can copy (slimfile split-stages)
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
ENV HF_HOME=/models/hf
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt \
    && python -c "from sentence_transformers import SentenceTransformer; SentenceTransformer('all-MiniLM-L6-v2')"
COPY . .
CMD ["python", "app.py"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM python:3.11-slim AS runtime
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
ENV HF_HOME=/models/hf
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
COPY --from=builder /models/hf /models/hf
CMD ["python", "app.py"]
