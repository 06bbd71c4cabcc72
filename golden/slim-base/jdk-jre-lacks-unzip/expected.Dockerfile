FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -q package

FROM openjdk:17-jdk
COPY --from=build /src/target/app.zip /tmp/app.zip
RUN unzip -q /tmp/app.zip -d /opt/app && rm /tmp/app.zip
CMD ["java", "-jar", "/opt/app/app.jar"]
