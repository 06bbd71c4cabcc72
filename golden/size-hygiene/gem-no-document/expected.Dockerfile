FROM ruby:3.3-slim
RUN gem install bundler:2.5.6 --no-document && bundle config set without development
CMD ["bundle", "exec", "ruby", "app.rb"]
