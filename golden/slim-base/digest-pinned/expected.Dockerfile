FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/tool .

FROM debian:bookworm@sha256:0d8498a0e9e6a60011df39aab78534cfe940785e7c59d19dfae1eb53ea59babe
COPY --from=build /out/tool /usr/local/bin/tool
ENTRYPOINT ["tool"]
