FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
RUN mkdir -p /var/log/myapp && chown nobody /var/log/myapp
USER nobody
CMD ["python","app.py"]
