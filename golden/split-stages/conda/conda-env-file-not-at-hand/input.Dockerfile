FROM continuumio/miniconda3
WORKDIR /app
COPY . .
RUN conda env create -f envs/prod.yml
ENV PATH=/opt/conda/envs/prod/bin:$PATH
CMD ["python", "app.py"]
