FROM alpine:3.20
ENV a=b c
