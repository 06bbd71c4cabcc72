FROM golang:1.22
WORKDIR /app
COPY . .
RUN cd cmd/server && CGO_ENABLED=0 go build -o ../../bin/server .
CMD ["/app/bin/server"]
