# bundle install compiles native gems: the slim image has no compiler
FROM ruby:3.3
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN gem install bundler -v 2.5.6 && bundle install
COPY . .
CMD ["bundle", "exec", "rackup"]
