FROM maven:3.9-eclipse-temurin-21 AS builder
WORKDIR /app
COPY pom.xml .
COPY src ./src
RUN mvn -q package -DskipTests
CMD ["java", "-jar", "target/app.jar"]

# runtime stage added by slimfile split-stages (Java): only what the app needs to run
# distroless publishes no version tags: pin its digest for reproducible builds
# hadolint ignore=DL3007
FROM gcr.io/distroless/java21-debian13:latest AS runtime
WORKDIR /app
COPY --from=builder /app/target/app.jar /app/target/app.jar
CMD ["target/app.jar"]
