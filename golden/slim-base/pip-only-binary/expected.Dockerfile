FROM node:20 AS assets
WORKDIR /src
COPY . .
RUN npm ci && npm run build

FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir --only-binary :all: -r requirements.txt
COPY app /app
COPY --from=assets /src/dist /app/static
CMD ["gunicorn", "app:app"]
