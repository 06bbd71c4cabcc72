FROM node:22 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM node:22
WORKDIR /app
COPY --from=build /app /app
CMD ["node", "dist/server.js"]
