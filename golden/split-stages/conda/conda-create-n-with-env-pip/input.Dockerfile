FROM continuumio/miniconda3
RUN conda create -y -n serve python=3.11 && conda clean -afy
COPY requirements.txt /tmp/requirements.txt
RUN /opt/conda/envs/serve/bin/pip install --no-cache-dir -r /tmp/requirements.txt
WORKDIR /app
COPY . .
CMD ["/opt/conda/envs/serve/bin/python", "main.py"]
