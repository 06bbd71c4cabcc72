FROM debian:buster
RUN apt-get update && apt-get install -y --no-install-recommends python python-pip gcc python-dev \
    && pip install supervisor
CMD ["supervisord", "-n"]
