FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm
COPY . /app
RUN cd /app && npm ci
CMD ["node", "/app/server.js"]
