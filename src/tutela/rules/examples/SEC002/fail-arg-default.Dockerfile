# A build argument whose default is a real password.
FROM python:3.12.4-slim-bookworm
ARG DB_PASSWORD=Rep0rting-Db-2024!
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 10001
CMD ["python", "-m", "reports"]
