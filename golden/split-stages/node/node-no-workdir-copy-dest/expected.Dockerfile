FROM node:20 AS builder
COPY package.json /app/package.json
RUN cd /app && npm install \
    && npm prune --omit=dev
COPY . /app
CMD ["node", "/app/server.js"]

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
FROM node:20-slim AS runtime
COPY --from=builder /app /app
CMD ["node", "/app/server.js"]
