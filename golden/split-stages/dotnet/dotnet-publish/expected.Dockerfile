FROM mcr.microsoft.com/dotnet/sdk:8.0 AS builder
WORKDIR /App

# Copy everything
COPY . ./
# Restore as distinct layers
RUN dotnet restore
# Build and publish a release
RUN dotnet publish -c Release -o out

ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
ENTRYPOINT ["dotnet", "out/DotNet.Docker.dll"]

# runtime stage added by slimfile split-stages (.NET): only what the app needs to run
FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS runtime
WORKDIR /App
ENV ASPNETCORE_HTTP_PORTS=8080
COPY --from=builder /App/out /App/out
EXPOSE 8080
ENTRYPOINT ["dotnet", "out/DotNet.Docker.dll"]
