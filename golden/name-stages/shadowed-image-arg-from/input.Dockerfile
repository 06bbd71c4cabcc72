ARG BASE=busybox
FROM busybox
RUN touch /x
FROM ${BASE}
RUN ls /x || echo no-x
