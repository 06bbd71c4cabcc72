FROM debian:bookworm-slim
ARG INSTALL="apt-get install -y"
RUN apt-get update && $INSTALL jq
CMD ["jq"]
