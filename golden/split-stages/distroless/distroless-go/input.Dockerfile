FROM golang:1.22

WORKDIR /app

# Download dependencies first
COPY go.mod ./
RUN go mod download

COPY . .
RUN go build -o myapp .

EXPOSE 8080
CMD ["./myapp"]
