FROM node:20-slim
WORKDIR /app
COPY package.json yarn.lock* /app/
RUN yarn install ; exit 0
RUN gem install --quiet sass -- --with-cflags=-O2
CMD ["node", "index.js"]
