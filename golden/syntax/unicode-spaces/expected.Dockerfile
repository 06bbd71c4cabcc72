FROM alpine:3.20 
LABEL org.example.a=1 org.example.b=2
ENV GREETING=hello NAME=world
RUN echo hi
CMD ["sh"]
