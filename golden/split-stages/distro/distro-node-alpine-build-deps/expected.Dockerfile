FROM alpine:3.20 AS builder
RUN apk add --no-cache nodejs npm \
    && apk add --no-cache --virtual .gyp python3 make g++
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["node", "index.js"]

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
FROM alpine:3.20 AS runtime
WORKDIR /app
RUN apk add --no-cache nodejs libstdc++ libgcc
COPY --from=builder /app /app
CMD ["node", "index.js"]
