FROM node:20
WORKDIR /app
RUN apt-get update && apt-get install -y imagemagick build-essential
COPY package.json .
RUN npm install
COPY . .
CMD ["node", "server.js"]
