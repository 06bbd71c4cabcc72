FROM alpine:3.19
COPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/nginx.conf
COPY --from=docker.io/library/busybox:1.36 /bin/busybox /bin/busybox
CMD ["sh"]
