FROM golang:1.22
WORKDIR /app
COPY . .
RUN ./scripts/install-tools.sh
RUN CGO_ENABLED=0 go build -o server .
CMD ["/app/server"]
