FROM python:3.12
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
RUN mkdir -p /var/log/ && touch /var/log/app.log && chown nobody /var/log/app.log
USER nobody
CMD ["python", "app.py"]
