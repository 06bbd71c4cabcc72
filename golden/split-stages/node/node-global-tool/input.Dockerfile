FROM node:20
WORKDIR /app
RUN npm install -g pm2
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["pm2-runtime", "server.js"]
