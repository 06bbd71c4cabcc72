FROM maven:3.9.9-eclipse-temurin-17
WORKDIR /build
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests
CMD java -jar target/*.jar
