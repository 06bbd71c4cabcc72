FROM centos:7
MAINTAINER Jane Doe <jane@example.com>
LABEL version 1.0 beta with spaces
LABEL vendor = "Example Corp"
LABEL com.example.team="platform" com.example.tier=backend
RUN yum install -y httpd && yum clean all
EXPOSE 80
CMD ["/usr/sbin/httpd", "-D", "FOREGROUND"]
