FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
RUN mvn -q package

# distroless publishes no version tags: pin its digest for reproducible builds
# hadolint ignore=DL3007
FROM gcr.io/distroless/java21-debian13:latest
WORKDIR /app
COPY --from=build /src/target/app.jar app.jar
EXPOSE 8080
CMD ["app.jar"]
