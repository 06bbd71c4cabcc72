FROM node:20
WORKDIR /app
ONBUILD COPY . .
ONBUILD RUN npm ci
COPY package.json .
RUN npm install
CMD ["node", "index.js"]
