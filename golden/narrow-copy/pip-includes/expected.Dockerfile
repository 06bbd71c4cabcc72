FROM python:3.12 AS build
WORKDIR /app
COPY . .
RUN pip install --user --no-cache-dir -r requirements/prod.txt

FROM python:3.12-slim
COPY --from=build /root/.local /root/.local
COPY --from=build /app /app
WORKDIR /app
ENV PATH=/root/.local/bin:$PATH
CMD ["python", "-m", "service"]
