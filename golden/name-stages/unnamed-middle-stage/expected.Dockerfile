FROM node:20 AS deps
COPY package.json package-lock.json ./
RUN npm ci

FROM node:20 AS node-stage
COPY --from=deps /node_modules /node_modules
RUN npm test

FROM node:20-slim
COPY --from=deps /node_modules /app/node_modules
CMD ["node", "/app/index.js"]
