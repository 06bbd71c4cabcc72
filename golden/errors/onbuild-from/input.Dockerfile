FROM node:20
ONBUILD FROM node:20-slim
