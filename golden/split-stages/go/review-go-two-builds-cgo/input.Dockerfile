FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
RUN go build -o /out/migrate ./cmd/migrate && go build -o /out/server .
CMD ["/out/server"]
