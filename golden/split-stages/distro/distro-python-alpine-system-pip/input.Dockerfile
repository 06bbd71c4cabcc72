FROM alpine:3.20
RUN apk add --no-cache python3 py3-pip libffi \
    && apk add --no-cache --virtual .build-deps gcc musl-dev libffi-dev python3-dev \
    && pip3 install --no-cache-dir --break-system-packages gunicorn httpbin
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "httpbin:app"]
