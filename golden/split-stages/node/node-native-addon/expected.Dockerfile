FROM node:20-bookworm AS builder
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci \
    && npm prune --omit=dev
COPY . .
CMD ["node", "server.js"]

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
FROM node:20-slim-bookworm AS runtime
WORKDIR /app
# the libraries the native addons link, as the full image has them
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /app /app
CMD ["node", "server.js"]
