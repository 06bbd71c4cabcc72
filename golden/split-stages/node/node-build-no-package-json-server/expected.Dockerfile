FROM node:20 AS builder
WORKDIR /app
COPY . .
RUN npm ci && npm run build
EXPOSE 3000
CMD ["node", "dist/server.js"]

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
FROM node:20-slim AS runtime
WORKDIR /app
COPY --from=builder /app /app
EXPOSE 3000
CMD ["node", "dist/server.js"]
