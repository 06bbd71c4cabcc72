FROM alpine:3.19
RUN apk update && \
    apk add --virtual .build-deps gcc musl-dev && \
    apk add bash
CMD ["bash"]
