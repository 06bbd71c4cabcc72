FROM alpine:3.19
WORKDIR /app
COPY requirements.txt .
RUN apk add --no-cache python3 postgresql-libs \
    && apk add --no-cache --virtual .build-deps build-base postgresql-dev python3-dev \
    && python3 -m venv /venv \
    && /venv/bin/pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["/venv/bin/python", "-m", "app"]
