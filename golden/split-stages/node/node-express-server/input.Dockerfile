FROM node:20
# App directory
WORKDIR /usr/src/app
ENV NODE_ENV=production
COPY package*.json ./
RUN npm install
COPY . .
EXPOSE 3000
HEALTHCHECK --interval=30s CMD node healthcheck.js
USER node
CMD ["node", "server.js"]
