FROM continuumio/miniconda3
RUN conda install -y -c conda-forge numpy pandas scikit-learn \
    && conda clean --all --yes
RUN /opt/conda/bin/conda env create -f /tmp/environment.yml \
    && echo "conda activate app" >> ~/.bashrc \
    && /opt/conda/bin/conda clean --all --yes
CMD ["python", "-m", "app"]
