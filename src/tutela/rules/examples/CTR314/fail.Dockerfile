FROM eclipse-temurin:21.0.5_11-jre-alpine
RUN addgroup -S app && adduser -S -G app -u 10001 app
WORKDIR /opt/reports
COPY build/libs/reports.jar ./reports.jar
RUN mkdir -p /opt/reports/output && chmod -R 777 /opt/reports
USER 10001
ENTRYPOINT ["java", "-jar", "/opt/reports/reports.jar"]
