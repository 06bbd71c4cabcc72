FROM golang:1.22
RUN go build -o "/out/my app" .

FROM alpine:3.19
COPY --from=0 /out/my\ app /usr/bin/app
CMD ["app"]
