FROM golang:1.22-alpine
RUN apk add --no-cache git
WORKDIR /go/src/app
RUN git clone https://github.com/example/srv.git . && go build -o server .
EXPOSE 8080
CMD ["./server"]
