FROM node:18 AS deps
WORKDIR /app
COPY . .
RUN yarn install --frozen-lockfile

FROM node:18-slim
WORKDIR /app
COPY --from=deps /app /app
CMD ["node", "index.js"]
