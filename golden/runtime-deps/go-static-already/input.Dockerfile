FROM golang:1.22 AS builder
ENV CGO_ENABLED=0
WORKDIR /app
COPY . .
RUN go build -o /bin/app .

FROM gcr.io/distroless/static-debian12
COPY --from=builder /bin/app /bin/app
CMD ["/bin/app"]
