FROM node:20 AS builder
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
EXPOSE 4173
CMD ["npx", "vite", "preview", "--host"]

# runtime stage added by slimfile split-stages (Node, static site): only what the app needs to run
FROM nginx:1.27-alpine AS runtime
WORKDIR /app
COPY --from=builder /app/dist /usr/share/nginx/html
EXPOSE 80
