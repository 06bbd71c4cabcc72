FROM python:3.12 AS build
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir requests==2.32.3

FROM python:3.12
COPY --from=build /opt/venv /opt/venv
COPY fetch.py /fetch.py
ENV PATH=/opt/venv/bin:$PATH
CMD ["python", "/fetch.py"]
