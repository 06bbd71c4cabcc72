FROM ruby:3.3
WORKDIR /app
COPY . .
RUN bundle install
CMD bundle install && bundle exec ruby app.rb
