FROM golang:1.22 AS 1st-build
RUN go build
