FROM python:3.8-buster AS builder
# install into a venv the runtime stage can copy (slimfile split-stages)
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN apt-get update && apt-get install -y --no-install-recommends libssl-dev libffi-dev gcc
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "app.py"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM python:3.8-slim-buster AS runtime
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /app
RUN apt-get update \
    && apt-get install -y --no-install-recommends libssl1.1 libffi6 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
CMD ["python", "app.py"]
