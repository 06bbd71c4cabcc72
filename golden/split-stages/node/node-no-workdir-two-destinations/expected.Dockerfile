FROM node:20
COPY app /app
COPY lib /app/lib
RUN cd /app && npm install
CMD ["node", "/app/lib/server.js"]
