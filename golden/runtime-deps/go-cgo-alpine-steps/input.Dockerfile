FROM golang:1.22 AS builder
WORKDIR /app
COPY . .
RUN go build -o /bin/app .

FROM alpine:3.20
RUN apk add --no-cache ca-certificates
COPY --from=builder /bin/app /bin/app
CMD ["/bin/app"]
