FROM continuumio/miniconda3
RUN conda create -y -n app python=3.11
RUN pip install --no-cache-dir flask
ENV PATH=/opt/conda/envs/app/bin:$PATH
WORKDIR /app
COPY . .
CMD ["python", "app.py"]
