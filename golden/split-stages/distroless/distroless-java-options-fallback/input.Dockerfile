FROM maven:3.9-eclipse-temurin-21
WORKDIR /app
COPY pom.xml .
COPY src ./src
RUN mvn -q package -DskipTests
CMD ["java", "-Xmx512m", "-jar", "target/app.jar"]
