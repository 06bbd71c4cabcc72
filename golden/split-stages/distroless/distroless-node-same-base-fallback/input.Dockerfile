FROM node:22-alpine
WORKDIR /usr/src/app
RUN apk add --no-cache python3 make g++ tini
COPY package*.json ./
RUN npm ci
COPY . .
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "index.js"]
