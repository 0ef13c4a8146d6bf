FROM python:3.12.7-slim-bookworm
ARG POETRY_INSTALLER_SHA256=4d4b0d6de3dd8ba4c1ac5c3b4b3c6b47d5b2f5f0f3a8e0a8c9b7d6e5f4a3b2c1
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && curl -fsSLo /tmp/install-poetry.py https://install.python-poetry.org \
    && echo "${POETRY_INSTALLER_SHA256}  /tmp/install-poetry.py" | sha256sum -c - \
    && python3 /tmp/install-poetry.py --version 1.8.4 \
    && rm -rf /var/lib/apt/lists/* /tmp/install-poetry.py
USER 10001
