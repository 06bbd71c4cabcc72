FROM maven:3.9-eclipse-temurin-21 AS build
COPY . /src
RUN mvn -f /src/pom.xml -q package

# the runtime stage still on the build image
FROM eclipse-temurin:21-jre
COPY --from=build /src/target/app.jar /opt/app.jar
CMD ["java", "-jar", "/opt/app.jar"]
