FROM node:20
WORKDIR /config
COPY config/ ./
WORKDIR /app
COPY . .
RUN npm ci
CMD ["node", "server.js"]
