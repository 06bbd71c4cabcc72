FROM ruby:3.3-bookworm AS builder
# install without the development and test gems (RAILS_ENV=production; slimfile split-stages)
ENV BUNDLE_WITHOUT="development:test"
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential libpq-dev nodejs \
    && rm -rf /var/lib/apt/lists/*
ENV RAILS_ENV=production \
    RAILS_LOG_TO_STDOUT=1
WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
RUN SECRET_KEY_BASE=dummy bundle exec rails assets:precompile
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]

# runtime stage added by slimfile split-stages (Ruby): only what the app needs to run
FROM ruby:3.3-slim-bookworm AS runtime
ENV BUNDLE_WITHOUT="development:test"
ENV RAILS_ENV=production \
    RAILS_LOG_TO_STDOUT=1
WORKDIR /rails
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /usr/local/bundle /usr/local/bundle
COPY --from=builder /rails /rails
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
