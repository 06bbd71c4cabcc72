FROM node:20 AS builder
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM python:3.12
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=builder /src/dist /app/static
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
