FROM node:20
WORKDIR /app
COPY . .
RUN cd $(npm root -g)/npm \
  && npm install fs-extra \
  && sed -i -e s/graceful-fs/fs-extra/ ./lib/utils/rename.js
RUN npm install
CMD ["npm", "start"]
