FROM node:20 AS assets
WORKDIR /src
COPY . .
RUN npm ci && npm run build

FROM python:3.4
RUN pip install Flask==0.10.1 uWSGI==2.0.8
WORKDIR /app
COPY app /app
COPY --from=assets /src/dist /app/static
CMD ["uwsgi", "--http", ":9090", "--module", "app"]
