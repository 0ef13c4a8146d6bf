FROM python:3.12.7-slim-bookworm
WORKDIR /app
# "Needed to install the private package from GitHub"
COPY deploy/id_ed25519 /root/.ssh/id_ed25519
COPY .env ./
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt && rm /root/.ssh/id_ed25519
COPY app/ ./app/
USER 10001
