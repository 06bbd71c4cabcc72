FROM alpine:3.20
# BuildKit: "ENV must have two arguments"
ENV PATH
RUN echo "$PATH"
