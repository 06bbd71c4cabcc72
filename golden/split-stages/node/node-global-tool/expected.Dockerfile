FROM node:20 AS builder
WORKDIR /app
RUN npm install -g pm2
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["pm2-runtime", "server.js"]

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
FROM node:20-slim AS runtime
WORKDIR /app
COPY --from=builder /app /app
RUN npm install -g pm2
CMD ["pm2-runtime", "server.js"]
