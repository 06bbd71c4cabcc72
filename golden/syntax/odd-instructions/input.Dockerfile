FROM "python:3.12-slim"
HEALTHCHECK NONE
STOPSIGNAL SIGTERM
ONBUILD RUN echo "child build"
VOLUME /data
USER 1000:1000
CMD ["python3", "-m", "http.server"] # exec form followed by a comment is shell form
