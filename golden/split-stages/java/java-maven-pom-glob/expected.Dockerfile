FROM maven:3.9.9-eclipse-temurin-17 AS builder
WORKDIR /build
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests
CMD java -jar target/*.jar

# runtime stage added by slimfile split-stages (Java): only what the app needs to run
FROM eclipse-temurin:17-jre AS runtime
WORKDIR /build
COPY --from=builder /build/target/orders-1.4.0.jar /build/target/orders-1.4.0.jar
CMD java -jar target/*.jar
