FROM continuumio/miniconda3
RUN conda install -y -c conda-forge numpy pandas scikit-learn
RUN /opt/conda/bin/conda env create -f /tmp/environment.yml \
    && echo "conda activate app" >> ~/.bashrc
CMD ["python", "-m", "app"]
