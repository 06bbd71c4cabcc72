FROM --platform=linux/amd64 python:3.12-slim-bookworm AS app
ENV PYTHONUNBUFFERED=1
COPY app.py /srv/app.py
CMD ["python", "/srv/app.py"]
