FROM rust:1.82-slim-bookworm
WORKDIR /src
COPY . .
RUN cargo install --path . --locked
RUN useradd --system --no-create-home tool
USER tool
ENTRYPOINT ["linkcheck"]
CMD ["--help"]
