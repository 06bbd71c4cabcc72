ARG NODE_VERSION=8.16.1-slim
FROM node:${NODE_VERSION}
WORKDIR /app
COPY . .
RUN npm install
CMD ["node", "server.js"]
