# A private npm token baked into the image's layers and history.
FROM node:20.15-bookworm-slim
WORKDIR /app
ENV NPM_TOKEN=npm_4Xq9Lw2Rt7Yb5Kc8Vn3Hd6Jm1Pz0Sa2Fe7Gu
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev
COPY . .
USER node
CMD ["node", "server.js"]
