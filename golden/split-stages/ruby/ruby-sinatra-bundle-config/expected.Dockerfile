FROM ruby:3.2 AS builder
WORKDIR /usr/src/app
COPY Gemfile ./
RUN bundle config set without 'development test' \
    && bundle install
COPY . .
RUN useradd --create-home app
USER app
EXPOSE 4567
CMD ["ruby", "app.rb", "-o", "0.0.0.0"]

# runtime stage added by slimfile split-stages (Ruby): only what the app needs to run
FROM ruby:3.2-slim AS runtime
WORKDIR /usr/src/app
COPY --from=builder /usr/local/bundle /usr/local/bundle
COPY --from=builder /root/.bundle /root/.bundle
COPY --from=builder /usr/src/app /usr/src/app
RUN useradd --create-home app
USER app
EXPOSE 4567
CMD ["ruby", "app.rb", "-o", "0.0.0.0"]
