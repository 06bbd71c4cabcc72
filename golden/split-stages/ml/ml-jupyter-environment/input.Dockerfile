FROM jupyter/scipy-notebook:2024-05-27
RUN pip install --no-cache-dir torch==2.4.1 transformers==4.44.2
COPY notebooks/ /home/jovyan/work/
CMD ["start-notebook.py", "--IdentityProvider.token=''"]
