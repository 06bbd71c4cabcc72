ARG BASE=busybox
FROM busybox AS busybox-stage
RUN touch /x
FROM ${BASE}
RUN ls /x || echo no-x
