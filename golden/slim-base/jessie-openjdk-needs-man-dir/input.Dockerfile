FROM debian:jessie
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-7-jdk && rm -rf /var/lib/apt/lists/*
COPY app.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
