FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
RUN pip install --no-cache-dir torchvision==0.19.1 --index-url https://download.pytorch.org/whl/cpu
COPY . .
CMD ["python", "infer.py"]
