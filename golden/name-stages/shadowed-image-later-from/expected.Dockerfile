FROM busybox AS busybox-stage
RUN touch /x
FROM busybox
RUN ls /x || echo no-x
