FROM debian:bookworm AS build
RUN apt-get update && apt-get install --no-install-recommends -y build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make hello

FROM debian:bookworm-slim
COPY --from=build /src/hello /usr/local/bin/hello
CMD ["hello"]
