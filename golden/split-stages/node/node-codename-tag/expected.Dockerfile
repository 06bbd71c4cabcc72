FROM node:carbon AS builder
WORKDIR /app
COPY . .
RUN npm install \
    && npm prune --omit=dev
CMD ["node","server.js"]

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
FROM node:carbon-slim AS runtime
WORKDIR /app
COPY --from=builder /app /app
CMD ["node","server.js"]
