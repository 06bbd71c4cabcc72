FROM golang:1.22 AS builder
WORKDIR /app
COPY . .
RUN go build -o /bin/app .

FROM alpine:3.20
COPY --from=builder /bin/app /bin/app
USER nobody
CMD ["/bin/app"]
