FROM ruby:3.3.5-bookworm
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install --without development test
COPY . .
USER 10001
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
