FROM node:20 AS builder
WORKDIR /config
COPY config/ ./
WORKDIR /app
COPY . .
RUN npm ci
CMD ["node", "server.js"]

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
FROM node:20-slim AS runtime
WORKDIR /config
WORKDIR /app
COPY --from=builder /app /app
COPY --from=builder /config /config
CMD ["node", "server.js"]
