FROM alpine:3.19
WORKDIR /srv
CMD ["sh", "-c", "echo ready"]
LABEL org.opencontainers.image.title="tools" \