# The build stage may do what it likes; the image gives its files to the app user.
FROM eclipse-temurin:21.0.5_11-jdk AS build
WORKDIR /src
COPY . .
RUN chmod 777 ./gradlew && ./gradlew --no-daemon bootJar

FROM eclipse-temurin:21.0.5_11-jre-alpine
RUN addgroup -S app && adduser -S -G app -u 10001 app \
    && mkdir -p /opt/reports/output /opt/reports/tmp \
    && chown -R app:app /opt/reports && chmod 1777 /opt/reports/tmp
WORKDIR /opt/reports
COPY --from=build --chown=app:app --chmod=0644 /src/build/libs/reports.jar ./reports.jar
USER 10001
ENTRYPOINT ["java", "-jar", "/opt/reports/reports.jar"]
