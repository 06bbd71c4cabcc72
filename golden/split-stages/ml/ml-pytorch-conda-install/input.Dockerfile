FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-devel
RUN conda install -y -c conda-forge faiss-gpu && conda clean -afy
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python", "app.py"]
