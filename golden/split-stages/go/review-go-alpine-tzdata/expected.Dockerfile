FROM golang:1.22-alpine AS builder
RUN apk add --no-cache git tzdata
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app .
ENV TZ=Europe/Berlin
CMD ["/app"]

# runtime stage added by slimfile split-stages (Go): only what the app needs to run
FROM scratch AS runtime
WORKDIR /src
ENV TZ=Europe/Berlin
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo
COPY --from=builder /app /app
CMD ["/app"]
