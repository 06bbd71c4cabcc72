FROM ubuntu:22.04
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm build-essential
WORKDIR /app
COPY . .
RUN npm install
CMD ["npm", "start"]
