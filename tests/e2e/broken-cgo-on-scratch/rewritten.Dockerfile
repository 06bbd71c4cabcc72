FROM golang:1.19 AS builder
WORKDIR /src
COPY . .
RUN CGO_ENABLED=1 go build -o /usr/local/bin/cgoapp .

# hand-written, wrong: the cgo binary needs glibc, which scratch does not have
FROM scratch
COPY --from=builder /usr/local/bin/cgoapp /usr/local/bin/cgoapp
CMD ["cgoapp"]
