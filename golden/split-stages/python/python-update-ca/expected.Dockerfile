FROM python:3.12-bookworm AS builder
# install into a venv the runtime stage can copy (slimfile split-stages)
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY corp-ca.crt /usr/local/share/ca-certificates/
RUN update-ca-certificates
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM python:3.12-slim-bookworm AS runtime
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
COPY --from=builder /usr/local/share/ca-certificates/corp-ca.crt /usr/local/share/ca-certificates/corp-ca.crt
COPY --from=builder /etc/ssl/certs /etc/ssl/certs
CMD ["python", "app.py"]
