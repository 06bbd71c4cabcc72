FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /src/bin/api .

FROM debian:bookworm-slim
WORKDIR /srv
COPY --from=build /src /srv
CMD ["./bin/api", "--config", "config/prod.yaml"]
