FROM node:20 AS builder
WORKDIR /usr/src/app
COPY package.json .
RUN npm install
COPY . .
RUN chown -R node:node /usr/src/app \
    && npm prune --omit=dev
USER node
CMD ["node","server.js"]

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
FROM node:20-slim AS runtime
WORKDIR /usr/src/app
COPY --from=builder --chown=node:node /usr/src/app /usr/src/app
USER node
CMD ["node","server.js"]
