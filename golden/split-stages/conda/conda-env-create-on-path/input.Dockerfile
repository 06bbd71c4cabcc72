FROM continuumio/miniconda3:24.7.1-0
WORKDIR /app
COPY environment.yml .
RUN conda env create -f environment.yml && conda clean --all --yes
ENV PATH=/opt/conda/envs/churn/bin:$PATH
COPY . .
EXPOSE 5000
CMD ["gunicorn", "--bind", "0.0.0.0:5000", "app:app"]
