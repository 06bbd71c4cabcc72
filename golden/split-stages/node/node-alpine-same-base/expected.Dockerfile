FROM node:18-alpine AS builder
WORKDIR /usr/src/app
RUN apk add --no-cache python3 make g++ tini
COPY package*.json ./
RUN npm ci \
    && npm prune --omit=dev
COPY . .
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "index.js"]

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
FROM node:18-alpine AS runtime
WORKDIR /usr/src/app
RUN apk add --no-cache python3 libstdc++ libgcc tini
COPY --from=builder /usr/src/app /usr/src/app
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "index.js"]
