FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go vet ./... && go build -o /out/server .
CMD ["/out/server"]
