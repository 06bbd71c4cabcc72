FROM debian:bookworm-slim
ENV DEBIAN_FRONTEND=noninteractive
# tools the app shells out to
RUN apt-get update \
    # JSON on the command line
    && apt-get install -y \
        ca-certificates \
        curl=7.88.1-10+deb12u8 \
        jq \
    && curl --version
CMD ["jq", "--version"]
