RUN echo hi
FROM alpine:3.19
