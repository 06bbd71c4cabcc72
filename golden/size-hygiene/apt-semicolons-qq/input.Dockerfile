FROM ubuntu:22.04
RUN apt update; DEBIAN_FRONTEND=noninteractive apt install -qq --yes tzdata; apt-get clean
CMD ["date"]
