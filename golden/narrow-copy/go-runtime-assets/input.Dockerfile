# syntax=docker/dockerfile:1.7
ARG GO_VERSION=1.22
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS builder
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o server ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot
# the whole app folder (binary and all)
COPY --from=builder /app /app
USER nonroot:nonroot
ENTRYPOINT ["/app/server"]
