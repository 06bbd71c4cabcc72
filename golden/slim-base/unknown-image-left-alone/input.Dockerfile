FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM registry.internal.example.com/base/runtime:2024.10
COPY --from=build /out/app /app
CMD ["/app"]
