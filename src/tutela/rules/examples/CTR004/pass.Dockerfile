# Download with curl and verify a pinned checksum before use.
FROM debian:12.6-slim
ARG HL7_TOOLS_SHA256=3b7e4c1f9a2d8e6b5c0a7f4e1d9c8b2a6f3e0d7c4b1a8e5f2d9c6b3a0e7f4d1c
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
    && curl -fsSLo /tmp/hl7-tools.tar.gz https://downloads.example.com/hl7-tools/hl7-tools-4.2.tar.gz \
    && echo "${HL7_TOOLS_SHA256}  /tmp/hl7-tools.tar.gz" | sha256sum -c - \
    && tar -xzf /tmp/hl7-tools.tar.gz -C /opt && rm /tmp/hl7-tools.tar.gz \
    && rm -rf /var/lib/apt/lists/*
USER 10001
CMD ["/opt/hl7-tools/bin/hl7d"]
