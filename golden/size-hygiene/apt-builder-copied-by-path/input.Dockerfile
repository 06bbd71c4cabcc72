FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y build-essential
WORKDIR /src
COPY . .
RUN make hello

FROM debian:bookworm-slim
COPY --from=build /src/hello /usr/local/bin/hello
CMD ["hello"]
