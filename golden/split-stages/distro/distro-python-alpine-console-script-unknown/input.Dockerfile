FROM alpine:3.18
RUN apk add --no-cache python3 py3-pip \
    && apk add --no-cache --virtual .build-deps gcc musl-dev python3-dev \
    && pip3 install --no-cache-dir awscli
ENTRYPOINT ["aws"]
