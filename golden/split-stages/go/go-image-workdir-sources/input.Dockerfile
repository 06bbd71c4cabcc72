FROM golang:1.22
COPY app.go .
COPY lib/ /go/src/example.com/app/lib/
RUN go build app.go
CMD ["./app"]
