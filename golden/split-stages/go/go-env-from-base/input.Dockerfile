FROM golang:1.22
ENV APP_DIR $GOPATH/src/app
WORKDIR $APP_DIR
COPY . .
RUN CGO_ENABLED=0 go build -o server .
CMD ["./server"]
