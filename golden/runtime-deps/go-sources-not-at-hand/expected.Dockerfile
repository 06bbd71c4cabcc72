FROM golang:1.22 AS builder
WORKDIR /app
RUN git clone https://example.com/app.git . && go build -o /bin/app .

FROM alpine:3.20
COPY --from=builder /bin/app /bin/app
CMD ["/bin/app"]
