FROM node:18 AS deps
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .

FROM node:18-slim
WORKDIR /app
COPY --from=deps /app /app
CMD ["node", "index.js"]
