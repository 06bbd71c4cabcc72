FROM alpine:3.19
RUN apk update && \
    apk add --no-cache --virtual .build-deps gcc musl-dev && \
    apk add --no-cache bash \
    && rm -rf /var/cache/apk/*
CMD ["bash"]
