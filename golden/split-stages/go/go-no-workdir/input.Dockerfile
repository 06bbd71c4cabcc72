FROM golang:1.22
COPY . src/app
RUN cd src/app && CGO_ENABLED=0 go build -o /go/bin/app .
CMD ["app"]
