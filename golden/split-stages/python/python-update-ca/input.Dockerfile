FROM python:3.12-bookworm
COPY corp-ca.crt /usr/local/share/ca-certificates/
RUN update-ca-certificates
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]
