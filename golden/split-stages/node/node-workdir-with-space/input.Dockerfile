FROM node:20
WORKDIR "/srv/my app"
COPY . .
RUN npm ci
CMD ["node", "server.js"]
