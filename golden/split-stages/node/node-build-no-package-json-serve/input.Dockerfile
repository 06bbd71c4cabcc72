FROM node:20
RUN npm install -g serve
WORKDIR /app
COPY . .
RUN npm ci && npm run build
EXPOSE 3000
CMD ["serve", "-s", "build"]
