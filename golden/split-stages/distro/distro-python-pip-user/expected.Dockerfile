FROM debian:bullseye
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip gcc python3-dev \
    && pip3 install --user httpie
CMD ["/root/.local/bin/http"]
