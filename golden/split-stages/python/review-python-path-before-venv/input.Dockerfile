FROM python:3.12
WORKDIR /app
ENV PATH="/app/bin:${PATH}"
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "app.py"]
