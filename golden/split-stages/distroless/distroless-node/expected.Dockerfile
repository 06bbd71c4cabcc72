FROM node:22 AS builder
# App directory
WORKDIR /usr/src/app
ENV NODE_ENV=production
COPY package*.json ./
RUN npm install \
    && npm prune --omit=dev
COPY . .
EXPOSE 3000
USER node
CMD ["node", "server.js"]

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
# distroless publishes no version tags: pin its digest for reproducible builds
# hadolint ignore=DL3007
FROM gcr.io/distroless/nodejs22-debian13:latest AS runtime
WORKDIR /usr/src/app
ENV NODE_ENV=production
COPY --from=builder /usr/src/app /usr/src/app
COPY --from=builder /etc/passwd /etc/passwd
COPY --from=builder /etc/group /etc/group
EXPOSE 3000
USER node
CMD ["server.js"]
