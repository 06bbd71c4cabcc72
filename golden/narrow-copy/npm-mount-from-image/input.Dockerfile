FROM node:20-bookworm AS build
WORKDIR /usr/src/app
COPY . .
# `tools` is no stage: an image, or a named build context
RUN --mount=type=bind,from=tools,source=/out,target=/mnt npm ci \
    && npm run build

FROM node:20-bookworm-slim
WORKDIR /usr/src/app
COPY --from=build /usr/src/app/dist ./dist
COPY --from=build /usr/src/app/node_modules ./node_modules
CMD ["node", "dist/main.js"]
