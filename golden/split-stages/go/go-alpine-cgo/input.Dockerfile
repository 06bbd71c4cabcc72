FROM golang:1.22-alpine3.19
RUN apk add --no-cache gcc musl-dev
WORKDIR /app
COPY . .
RUN go build -o server .
CMD ["/app/server"]
