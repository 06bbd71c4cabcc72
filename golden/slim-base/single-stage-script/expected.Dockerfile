FROM ruby:3.3-slim
LABEL maintainer="ops@example.com"
WORKDIR /usr/src/app
COPY report.rb .
CMD ["ruby", "report.rb"]
