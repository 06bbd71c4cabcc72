FROM python:3.11
RUN pip install --no-cache-dir jupyterlab==4.2.5 pandas==2.2.3 scikit-learn==1.5.2
WORKDIR /work
EXPOSE 8888
CMD ["jupyter", "lab", "--ip=0.0.0.0", "--allow-root", "--no-browser"]
