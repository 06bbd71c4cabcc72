FROM node:20 AS builder
WORKDIR "/srv/my app"
COPY . .
RUN npm ci
CMD ["node", "server.js"]

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
FROM node:20-slim AS runtime
WORKDIR "/srv/my app"
COPY --from=builder ["/srv/my app", "/srv/my app"]
CMD ["node", "server.js"]
