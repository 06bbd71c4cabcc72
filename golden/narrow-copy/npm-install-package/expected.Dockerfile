FROM node:20
WORKDIR /app
COPY . .
RUN npm install express@4
CMD ["node", "index.js"]
