# An SSH daemon inside the application image "for debugging".
FROM ubuntu:24.04
RUN apt-get update \
    && apt-get install -y --no-install-recommends openssh-server \
    && rm -rf /var/lib/apt/lists/*
COPY app /opt/app
EXPOSE 8080 22
CMD ["/opt/app/start.sh"]
