# syntax=docker/dockerfile:1
# The npm token is a build secret: mounted for one RUN, never stored in a layer.
FROM node:20.15-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm_token \
    NPM_TOKEN="$(cat /run/secrets/npm_token)" npm ci --omit=dev
COPY . .
USER node
CMD ["node", "server.js"]
