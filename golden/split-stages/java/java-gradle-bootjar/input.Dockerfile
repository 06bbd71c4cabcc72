FROM gradle:8.10-jdk21 AS build
WORKDIR /home/gradle/project
COPY --chown=gradle:gradle . .
RUN gradle bootJar --no-daemon
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/home/gradle/project/build/libs/demo-0.0.1-SNAPSHOT.jar"]
