FROM node:20 AS builder
# App directory
WORKDIR /usr/src/app
ENV NODE_ENV=production
COPY package*.json ./
RUN npm install \
    && npm prune --omit=dev
COPY . .
EXPOSE 3000
USER node
CMD ["node", "server.js"]

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
FROM node:20-slim AS runtime
WORKDIR /usr/src/app
ENV NODE_ENV=production
COPY --from=builder /usr/src/app /usr/src/app
EXPOSE 3000
USER node
CMD ["node", "server.js"]
