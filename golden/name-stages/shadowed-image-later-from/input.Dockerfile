FROM busybox
RUN touch /x
FROM busybox
RUN ls /x || echo no-x
