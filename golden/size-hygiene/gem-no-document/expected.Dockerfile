FROM ruby:3.3-slim
RUN gem install --no-document bundler:2.5.6 && bundle config set without development
CMD ["bundle", "exec", "ruby", "app.rb"]
