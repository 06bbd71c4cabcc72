FROM alpine:3.20
RUN echo C:\\
RUN echo next \
    line
