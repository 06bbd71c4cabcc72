FROM node:20 AS builder
WORKDIR /app
COPY . .
CMD ["node", "server.js"]
RUN npm install

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
FROM node:20-slim AS runtime
WORKDIR /app
COPY --from=builder /app /app
CMD ["node", "server.js"]
