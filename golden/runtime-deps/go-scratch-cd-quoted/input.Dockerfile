FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN cd cmd/server && go build -ldflags="-s -w" -o "/out/server" .

FROM scratch
COPY --from=build /out /
ENTRYPOINT ["/server"]
