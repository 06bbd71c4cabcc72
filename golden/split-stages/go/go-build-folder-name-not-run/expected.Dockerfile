FROM golang:1.10
WORKDIR /go/src/github.com/acme/beeper
COPY . .
RUN go build
CMD ["./server"]
