ARG BASE_TAG=
ARG REGISTRY=docker.io
FROM ${REGISTRY}/library/debian:bookworm${BASE_TAG}-slim
ARG HTTP_PROXY HTTPS_PROXY NO_PROXY
ARG BUILD_DATE=
ENV APP_HOME=/srv/app \
    EMPTY= \
    app.mode=production \
    log-level=info
ENV JAVA_OPTS -Xmx512m -Dfile.encoding=UTF-8
ENV GREETING=hello\ world
WORKDIR $APP_HOME
CMD ["sh", "-c", "echo $GREETING"]
