FROM alpine:3.20
RUN apk add --no-cache nodejs npm \
    && apk add --no-cache --virtual .gyp python3 make g++
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["node", "index.js"]
