# An untagged base image means `latest` too.
FROM python
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir .
USER 10001
CMD ["python", "-m", "scheduler"]
