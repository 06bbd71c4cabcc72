FROM docker.io/library/maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -q dependency:go-offline
COPY src ./src
RUN mvn -q package -DskipTests

FROM docker.io/library/eclipse-temurin:21-jre AS tools
COPY --from=build /src/target/tools.jar /opt/tools.jar
CMD ["java", "-jar", "/opt/tools.jar"]

FROM docker.io/eclipse-temurin:21-jre
COPY --from=build /src/target/app.jar /app.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app.jar"]
