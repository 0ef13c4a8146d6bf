# Only the application port; debugging goes through `kubectl exec`.
FROM ubuntu:24.04
RUN useradd --uid 10001 --no-create-home app
COPY app /opt/app
USER 10001
EXPOSE 8080
CMD ["/opt/app/start.sh"]
