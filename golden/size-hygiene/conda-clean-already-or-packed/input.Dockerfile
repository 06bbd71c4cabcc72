FROM continuumio/miniconda3 AS build
RUN conda env create -f environment.yml
RUN conda install -y -c conda-forge conda-pack && conda-pack -n app -o /tmp/env.tar.gz

FROM continuumio/miniconda3
RUN conda install -y numpy && conda clean -afy
RUN mamba install -y --use-index-cache pandas
RUN conda-pack --help
CMD ["python"]
