FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-devel
WORKDIR /workspace/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "serve.py"]
