FROM python:3.11-slim
RUN pip install --no-cache-dir torch==2.4.1 --index-url https://download.pytorch.org/whl/cpu
CMD ["python", "-c", "import torch"]
