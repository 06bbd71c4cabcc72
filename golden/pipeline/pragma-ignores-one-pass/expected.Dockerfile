FROM node:20 AS builder
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# keep the full image: the app shells out to tools only node:20 has
# slimfile: ignore=slim-base
FROM node:20
WORKDIR /app
COPY --from=builder /src/dist ./dist
COPY --from=builder /src/node_modules ./node_modules
CMD ["node", "dist/server.js"]
