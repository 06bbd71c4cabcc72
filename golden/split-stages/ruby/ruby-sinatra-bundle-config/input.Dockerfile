FROM ruby:3.2
WORKDIR /usr/src/app
COPY Gemfile ./
RUN bundle config set without 'development test' \
    && bundle install
COPY . .
RUN useradd --create-home app
USER app
EXPOSE 4567
CMD ["ruby", "app.rb", "-o", "0.0.0.0"]
