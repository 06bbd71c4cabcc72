FROM golang:1.22
WORKDIR /src
COPY . .
RUN go install ./cmd/server
EXPOSE 8080
CMD ["server"]
