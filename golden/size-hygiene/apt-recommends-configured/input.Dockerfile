FROM debian:bookworm-slim
RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99norecommends
RUN apt-get update && apt-get install -y jq && rm -rf /var/lib/apt/lists/*
CMD ["jq"]
