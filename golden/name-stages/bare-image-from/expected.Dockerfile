FROM alpine:3.19
COPY --from=busybox /bin/busybox /bin/
COPY --from=dot-cargo /cargo /root/.cargo
CMD ["sh"]
