# slim-base must not slim the builder of a split: bundle install compiles native gems
FROM ruby:2.7

WORKDIR /app
ADD Gemfile* ./
RUN bundle install

ADD . ./

CMD ["bundle","exec","puma"]
