FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt \
    && huggingface-cli download sentence-transformers/all-MiniLM-L6-v2 --local-dir /models/minilm
COPY . .
ENV MODEL_DIR=/models/minilm
CMD ["python", "app.py"]
