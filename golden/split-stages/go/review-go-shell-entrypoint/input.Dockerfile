FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app .
ENTRYPOINT /usr/local/bin/app
CMD ["--debug"]
