FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build .

FROM scratch
COPY --from=build /src /src
ENTRYPOINT ["/src/app"]
