FROM alpine:3.19 AS builder
WORKDIR /app
COPY requirements.txt .
RUN apk add --no-cache python3 postgresql-libs \
    && apk add --no-cache --virtual .build-deps build-base postgresql-dev python3-dev \
    && python3 -m venv /venv \
    && /venv/bin/pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["/venv/bin/python", "-m", "app"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM alpine:3.19 AS runtime
WORKDIR /app
RUN apk add --no-cache python3 postgresql-libs libstdc++ libgcc libpq
COPY --from=builder /venv /venv
COPY --from=builder /app /app
CMD ["/venv/bin/python", "-m", "app"]
