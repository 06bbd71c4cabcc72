FROM node:20-bookworm AS build
WORKDIR /usr/src/app
COPY --chown=node:node package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY --chown=node:node . .
# install and build in one go
RUN --mount=type=cache,target=/root/.npm npm run build

FROM node:20-bookworm-slim
WORKDIR /usr/src/app
COPY --from=build /usr/src/app/dist ./dist
COPY --from=build /usr/src/app/node_modules ./node_modules
CMD ["node", "dist/main.js"]
