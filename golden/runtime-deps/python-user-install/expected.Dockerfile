FROM python:3.12-slim AS build
WORKDIR /srv
COPY requirements.txt .
RUN pip install --no-cache-dir --upgrade pip \
 && pip install --no-cache-dir --user -r requirements.txt
COPY . .

FROM python:3.12-slim
WORKDIR /srv
COPY --from=build /srv .
COPY --from=build /root/.local /root/.local
ENV PATH="/root/.local/bin:$PATH"
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
