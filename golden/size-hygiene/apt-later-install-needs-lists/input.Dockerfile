FROM debian:bookworm-slim
RUN apt-get update
COPY packages.txt /tmp/packages.txt
RUN xargs -a /tmp/packages.txt apt-get install -y --no-install-recommends
CMD ["jq"]
