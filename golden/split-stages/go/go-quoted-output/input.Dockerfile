FROM golang:1.22
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o "/out/my app" .
ENTRYPOINT ["/out/my app"]
