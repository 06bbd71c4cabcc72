FROM gradle:8.7-jdk21 AS build
WORKDIR /home/gradle/src
COPY . .
RUN gradle bootJar --no-daemon

FROM eclipse-temurin:17-jre
COPY --from=build /home/gradle/src/build/libs/app.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
