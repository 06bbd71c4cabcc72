FROM fedora:40 AS f
RUN dnf install -y make gcc

FROM centos:7 AS c
RUN yum -y install epel-release && yum -y install jq

FROM registry.access.redhat.com/ubi9/ubi-minimal AS u
RUN microdnf install -y tar

FROM opensuse/leap:15.6
RUN zypper --non-interactive install -y curl && zypper clean
CMD ["curl", "--version"]
