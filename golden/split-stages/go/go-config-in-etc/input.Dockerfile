FROM golang:1.22
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o server .
COPY config.yaml /etc/app/config.yaml
CMD ["/app/server", "-config", "/etc/app/config.yaml"]
