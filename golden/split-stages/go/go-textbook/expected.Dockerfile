FROM golang:1.22 AS builder

WORKDIR /app

# Download dependencies first
COPY go.mod ./
RUN go mod download

COPY . .
RUN CGO_ENABLED=0 go build -o myapp .

EXPOSE 8080
CMD ["./myapp"]

# runtime stage added by slimfile split-stages (Go): only what the app needs to run
FROM scratch AS runtime
WORKDIR /app
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /app/myapp /app/myapp
EXPOSE 8080
CMD ["./myapp"]
