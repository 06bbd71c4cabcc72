FROM golang:1.21
WORKDIR /app
COPY . .
RUN go build -o myapp

FROM alpine:3.19
COPY --from=0 /app /app
CMD ["/app/myapp"]
