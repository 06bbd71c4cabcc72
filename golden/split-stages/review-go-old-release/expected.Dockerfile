FROM golang:1.16
RUN apt-get update && apt-get install -y libssl-dev
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN go build -o /usr/local/bin/app .
CMD ["app"]
