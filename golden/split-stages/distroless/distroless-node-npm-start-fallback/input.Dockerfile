FROM node:22
# App directory
WORKDIR /usr/src/app
ENV NODE_ENV=production
COPY package*.json ./
RUN npm install
COPY . .
EXPOSE 3000
USER node
CMD ["npm", "start"]
