FROM golang:1.22 AS build.v2
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM gcr.io/distroless/static-debian12 AS runtime.final
COPY --from=build.v2 /out/app /app
ENTRYPOINT ["/app"]
