ARG TARGETPLATFORM
ARG NODE_VERSION=20
FROM --platform=$BUILDPLATFORM node:${NODE_VERSION} as deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM --platform=$TARGETPLATFORM node:${NODE_VERSION}-slim
WORKDIR /app
COPY --from=0 /app/node_modules ./node_modules
COPY . .
CMD ["node", "index.js"]
