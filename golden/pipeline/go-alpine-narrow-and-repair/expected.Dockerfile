FROM golang:1.21 AS builder
WORKDIR /app
COPY go.mod ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o myapp

FROM alpine:3.19
COPY --from=builder /app/myapp /app/myapp
CMD ["/app/myapp"]
