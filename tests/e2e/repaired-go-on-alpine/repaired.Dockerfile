# The textbook multi-stage file (issue 17): cgo is on by default in the golang image, so the
# binary is linked against glibc, and alpine has none: `exec /usr/local/bin/myapp: no such file
# or directory` when the container starts.
FROM golang:1.19 AS builder
WORKDIR /app
COPY . .
# hand-written repair: no cgo needed, a static binary runs on alpine
RUN CGO_ENABLED=0 go build -o myapp

FROM alpine:3.19
COPY --from=builder /app/myapp /usr/local/bin/myapp
CMD ["myapp"]
