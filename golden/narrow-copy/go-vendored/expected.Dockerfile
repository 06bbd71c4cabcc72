FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -mod=vendor -o /out/app .
FROM scratch
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
