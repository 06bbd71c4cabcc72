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
# distroless publishes no version tags: pin its digest for reproducible builds
# hadolint ignore=DL3007
FROM gcr.io/distroless/static-debian13:latest AS runtime
WORKDIR /app
COPY --from=builder /app/myapp /app/myapp
EXPOSE 8080
CMD ["./myapp"]
