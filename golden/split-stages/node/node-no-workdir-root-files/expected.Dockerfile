FROM node:20 AS builder
COPY package.json .
RUN npm install \
    && npm prune --omit=dev
COPY server.js .
CMD node server.js

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
FROM node:20-slim AS runtime
COPY --from=builder /node_modules /node_modules
COPY --from=builder /package.json /package.json
COPY --from=builder /server.js /server.js
CMD node server.js
