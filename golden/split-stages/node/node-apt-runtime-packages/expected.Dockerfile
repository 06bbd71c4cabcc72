FROM node:20 AS builder
WORKDIR /app
RUN apt-get update && apt-get install -y imagemagick build-essential
COPY package.json .
RUN npm install \
    && npm prune --omit=dev
COPY . .
CMD ["node", "server.js"]

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
FROM node:20-slim AS runtime
WORKDIR /app
RUN apt-get update \
    && apt-get install -y --no-install-recommends imagemagick \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /app /app
CMD ["node", "server.js"]
