FROM node:20 AS builder
WORKDIR /app
COPY package.json .
RUN npm i \
    && npm prune --omit=dev
COPY . .
CMD ["npm", "start"]

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
FROM node:20-slim AS runtime
WORKDIR /app
COPY --from=builder /app /app
CMD ["npm", "start"]
