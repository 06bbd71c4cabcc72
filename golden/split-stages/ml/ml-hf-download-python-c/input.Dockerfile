FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
# fetch the model at build time, so the container starts offline
RUN python -c "from transformers import AutoModel, AutoTokenizer; AutoTokenizer.from_pretrained('distilbert-base-uncased'); AutoModel.from_pretrained('distilbert-base-uncased')"
COPY . .
CMD ["python", "app.py"]
