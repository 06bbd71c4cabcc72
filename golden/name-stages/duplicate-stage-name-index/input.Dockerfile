FROM alpine:3.19 AS tools
RUN touch /x
FROM busybox AS tools
RUN touch /y
FROM debian:bookworm-slim
COPY --from=0 /x /x
COPY --from=1 /y /y
