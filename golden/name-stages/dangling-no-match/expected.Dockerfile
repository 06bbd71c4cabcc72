FROM maven:3.9-eclipse-temurin-21 AS compile
COPY . /src
RUN mvn -f /src/pom.xml -q package

FROM eclipse-temurin:21-jre
COPY --from=artifacts /src/target/app.jar /app.jar
ENTRYPOINT ["java", "-jar", "/app.jar"]
