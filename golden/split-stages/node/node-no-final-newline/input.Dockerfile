FROM node:20
WORKDIR /app
COPY . .
CMD ["node", "server.js"]
RUN npm install