FROM golang:1.22-alpine
RUN apk add --no-cache git tzdata
WORKDIR /src
COPY . .
RUN go build -o /app .
ENV TZ=Europe/Berlin
CMD ["/app"]
