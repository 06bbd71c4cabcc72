FROM node:20 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && npm run build

# the closing brace is missing: nothing can expand this tag, so it is left alone
FROM node:${NODE_VERSION
WORKDIR /app
COPY --from=build /app/dist ./dist
CMD ["node", "dist/server.js"]
