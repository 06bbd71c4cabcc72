FROM python:3.11
RUN useradd -m app
WORKDIR /home/app/src
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
USER app
RUN python -c "import whisper; whisper.load_model('base')"
COPY . .
CMD ["python", "app.py"]
