FROM node:20
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM python:3.12
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
COPY --from=0 /src/dist /app/static
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
