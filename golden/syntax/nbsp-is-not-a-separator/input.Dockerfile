FROM node:20 as build
RUN npm ci
