FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates gcc \
    && curl -fsSL https://deb.nodesource.com/setup_20.x | bash - \
    && apt-get install -y nodejs
WORKDIR /app
COPY . .
RUN npm ci
CMD ["node", "server.js"]
