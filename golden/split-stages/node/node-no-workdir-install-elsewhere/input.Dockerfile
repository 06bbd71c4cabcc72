FROM node:20
COPY package.json /tmp/package.json
RUN cd /tmp && npm install && mkdir -p /app && cp -a /tmp/node_modules /app/
COPY . /app
CMD ["node", "/app/server.js"]
