FROM node:"20
RUN node --version
FROM alpine:3.19
CMD ["sh"]
