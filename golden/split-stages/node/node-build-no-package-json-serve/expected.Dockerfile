FROM node:20 AS builder
RUN npm install -g serve
WORKDIR /app
COPY . .
RUN npm ci && npm run build
EXPOSE 3000
CMD ["serve", "-s", "build"]

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
FROM node:20-slim AS runtime
WORKDIR /app
COPY --from=builder /app /app
RUN npm install -g serve
EXPOSE 3000
CMD ["serve", "-s", "build"]
