# ADD fetches a tarball at build time with no integrity check.
FROM debian:12.6-slim
ADD https://downloads.example.com/hl7-tools/hl7-tools-4.2.tar.gz /opt/
RUN tar -xzf /opt/hl7-tools-4.2.tar.gz -C /opt && rm /opt/hl7-tools-4.2.tar.gz
USER 10001
CMD ["/opt/hl7-tools/bin/hl7d"]
