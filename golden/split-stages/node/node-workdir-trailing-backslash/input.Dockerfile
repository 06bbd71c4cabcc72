FROM node:20
WORKDIR 'C:\'
COPY . .
RUN npm ci
CMD ["node", "server.js"]
