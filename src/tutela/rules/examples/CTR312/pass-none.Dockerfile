# Runs on Kubernetes only: liveness and readiness probes are declared in the manifests.
FROM gcr.io/distroless/nodejs20-debian12:nonroot
WORKDIR /app
COPY --chown=nonroot:nonroot dist/ ./
HEALTHCHECK NONE
CMD ["server.js"]
