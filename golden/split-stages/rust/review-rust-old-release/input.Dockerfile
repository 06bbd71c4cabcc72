FROM rust:1.60
RUN apt-get update && apt-get install -y libssl-dev pkg-config
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release
CMD ["./target/release/app"]
