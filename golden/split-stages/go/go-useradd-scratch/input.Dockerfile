FROM golang:1.22
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o server .
RUN useradd -r -u 10001 app
USER app
CMD ["/app/server"]
