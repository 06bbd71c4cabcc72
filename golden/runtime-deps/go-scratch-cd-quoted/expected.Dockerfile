FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN cd cmd/server && CGO_ENABLED=0 go build -ldflags="-s -w" -o "/out/server" .

FROM scratch
COPY --from=build /out /
ENTRYPOINT ["/server"]
