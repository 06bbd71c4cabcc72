FROM alpine:3.20
ENTRYPOINT ["serve", 8080]
