FROM node:20 AS builder
WORKDIR /app
COPY package*.json ./
RUN npm ci \
    && npm prune --omit=dev
COPY . .
CMD ["./start.sh"]

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
FROM node:20-slim AS runtime
WORKDIR /app
COPY --from=builder /app /app
CMD ["./start.sh"]
