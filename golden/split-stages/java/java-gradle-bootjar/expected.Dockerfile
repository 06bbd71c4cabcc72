FROM gradle:8.10-jdk21 AS build
WORKDIR /home/gradle/project
COPY --chown=gradle:gradle . .
RUN gradle bootJar --no-daemon
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/home/gradle/project/build/libs/demo-0.0.1-SNAPSHOT.jar"]

# runtime stage added by slimfile split-stages (Java): only what the app needs to run
FROM eclipse-temurin:21-jre AS runtime
WORKDIR /home/gradle/project
COPY --from=build /home/gradle/project/build/libs/demo-0.0.1-SNAPSHOT.jar /home/gradle/project/build/libs/demo-0.0.1-SNAPSHOT.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/home/gradle/project/build/libs/demo-0.0.1-SNAPSHOT.jar"]
