FROM python:3.12
WORKDIR /app
COPY app.py .
RUN pip install --no-cache-dir "git+https://example.com/acme/tool.git@1.2"
CMD ["python", "app.py"]
