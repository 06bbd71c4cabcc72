FROM python:3.11-bookworm AS builder
# install into a venv the runtime stage can copy (slimfile split-stages)
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install pipenv
WORKDIR /code
COPY Pipfile Pipfile.lock ./
RUN pipenv install --system --deploy
COPY . .
CMD ["gunicorn", "-b", "0.0.0.0:8000", "wsgi:app"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM python:3.11-slim-bookworm AS runtime
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /code
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /code /code
CMD ["gunicorn", "-b", "0.0.0.0:8000", "wsgi:app"]
