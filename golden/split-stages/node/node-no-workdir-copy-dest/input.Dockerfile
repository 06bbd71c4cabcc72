FROM node:20
COPY package.json /app/package.json
RUN cd /app && npm install
COPY . /app
CMD ["node", "/app/server.js"]
