FROM alpine:3.20 AS builder
RUN apk add --no-cache python3 py3-pip libffi \
    && apk add --no-cache --virtual .build-deps gcc musl-dev libffi-dev python3-dev \
    && pip3 install --no-cache-dir --break-system-packages gunicorn httpbin
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "httpbin:app"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM alpine:3.20 AS runtime
RUN apk add --no-cache python3 libffi libgcc
COPY --from=builder /usr/lib/python3.12/site-packages /usr/lib/python3.12/site-packages
COPY --from=builder /usr/bin/gunicorn /usr/bin/gunicorn
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "httpbin:app"]
