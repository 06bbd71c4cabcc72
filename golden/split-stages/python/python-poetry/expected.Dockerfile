FROM python:3.12-bookworm AS builder
# install into a venv the runtime stage can copy (slimfile split-stages)
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
ENV POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_CREATE=false
WORKDIR /app
RUN pip install --no-cache-dir poetry==1.8.3
COPY pyproject.toml poetry.lock ./
RUN poetry install --no-root --only main
COPY . .
CMD ["python", "-m", "app"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM python:3.12-slim-bookworm AS runtime
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
ENV POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_CREATE=false
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
CMD ["python", "-m", "app"]
