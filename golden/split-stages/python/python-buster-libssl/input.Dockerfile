FROM python:3.8-buster
RUN apt-get update && apt-get install -y --no-install-recommends libssl-dev libffi-dev gcc
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
