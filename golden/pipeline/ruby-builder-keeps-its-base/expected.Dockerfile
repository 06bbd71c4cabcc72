# slim-base must not slim the builder of a split: bundle install compiles native gems
FROM ruby:2.7 AS builder

WORKDIR /app
ADD Gemfile* ./
RUN bundle install

ADD . ./

CMD ["bundle","exec","puma"]

# runtime stage added by slimfile split-stages (Ruby): only what the app needs to run
FROM ruby:2.7-slim AS runtime
WORKDIR /app
COPY --from=builder /usr/local/bundle /usr/local/bundle
COPY --from=builder /app /app
CMD ["bundle","exec","puma"]
