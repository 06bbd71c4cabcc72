FROM continuumio/miniconda3
RUN conda install -y -c conda-forge scikit-learn flask && conda clean -afy
WORKDIR /app
COPY . .
CMD ["python", "app.py"]
