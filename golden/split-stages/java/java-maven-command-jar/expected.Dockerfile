FROM maven:3.9-eclipse-temurin-21 AS builder
WORKDIR /app
COPY pom.xml .
COPY src ./src
RUN mvn -q package -DskipTests
CMD ["java", "-jar", "target/app.jar"]

# runtime stage added by slimfile split-stages (Java): only what the app needs to run
FROM eclipse-temurin:21-jre AS runtime
WORKDIR /app
COPY --from=builder /app/target/app.jar /app/target/app.jar
CMD ["java", "-jar", "target/app.jar"]
