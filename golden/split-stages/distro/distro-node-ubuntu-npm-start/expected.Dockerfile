FROM ubuntu:22.04 AS builder
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm build-essential
WORKDIR /app
COPY . .
RUN npm install
CMD ["npm", "start"]

# runtime stage added by slimfile split-stages (Node): only what the app needs to run
FROM ubuntu:22.04 AS runtime
ENV DEBIAN_FRONTEND=noninteractive
WORKDIR /app
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /app /app
CMD ["npm", "start"]
