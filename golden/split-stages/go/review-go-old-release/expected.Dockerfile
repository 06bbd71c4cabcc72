FROM golang:1.16
RUN apt-get update && apt-get install -y libssl-dev
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app .
CMD ["app"]
