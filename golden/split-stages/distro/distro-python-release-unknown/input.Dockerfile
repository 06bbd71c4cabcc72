FROM alpine:latest
RUN apk add --no-cache python3 py3-pip \
    && apk add --no-cache --virtual .build-deps gcc musl-dev python3-dev \
    && pip3 install --no-cache-dir --break-system-packages uwsgi
CMD ["uwsgi", "--http", ":9090"]
