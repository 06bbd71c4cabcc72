FROM alpine:3.20 AS tools
RUN mkdir /out && echo x > /out/tool

FROM node:20-bookworm AS build
WORKDIR /usr/src/app
COPY package.json package-lock.json ./
RUN --mount=type=bind,from=tools,source=/out,target=/mnt npm ci
COPY . .
RUN --mount=type=bind,from=tools,source=/out,target=/mnt npm run build

FROM node:20-bookworm-slim
WORKDIR /usr/src/app
COPY --from=build /usr/src/app/dist ./dist
COPY --from=build /usr/src/app/node_modules ./node_modules
CMD ["node", "dist/main.js"]
