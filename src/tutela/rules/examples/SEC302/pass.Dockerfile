# syntax=docker/dockerfile:1.7
FROM python:3.12.7-slim-bookworm
WORKDIR /app
COPY requirements.txt .env.example ./
# The SSH agent is forwarded for this step only; nothing lands in a layer.
RUN --mount=type=ssh pip install --no-cache-dir -r requirements.txt
# Public CA bundle and the service's public signing certificate.
COPY certs/rds-global-bundle.pem certs/jwt-signing.pub.pem /app/certs/
COPY app/ ./app/
USER 10001
