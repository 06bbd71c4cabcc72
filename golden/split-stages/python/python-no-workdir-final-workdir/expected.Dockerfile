FROM python:3.12 AS builder
# install into a venv the runtime stage can copy (slimfile split-stages)
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY requirements.txt /srv/app/
RUN pip install --no-cache-dir -r /srv/app/requirements.txt
COPY . /srv/app
WORKDIR /srv/app
CMD ["uwsgi", "uwsgi.ini"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM python:3.12-slim AS runtime
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /srv/app
# the libraries pip's source builds link, as the full image has them
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libxml2 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /srv/app /srv/app
CMD ["uwsgi", "uwsgi.ini"]
