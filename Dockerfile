# syntax=docker/dockerfile:1
# IncidentService: built with the .NET 10 SDK, run on the ASP.NET Core 10 runtime as a non-root user.
#
#   docker build -t incident-service .
#   docker run --rm -p 9000:9000 -e Upstream__BaseUrl=https://incident-api.example/ \
#     -e Upstream__Username=... -e Upstream__Password=... incident-service
#
# There is no Docker engine in CI: scripts/check-container.sh runs the same publish command (scripts/publish.sh)
# on this build context and starts its output the way the runtime stage does.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore from the project files alone first, so that a source change does not download the packages again.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY IncidentService.Core/IncidentService.Core.csproj IncidentService.Core/
COPY IncidentService.Upstream/IncidentService.Upstream.csproj IncidentService.Upstream/
COPY IncidentService.Simulator/IncidentService.Simulator.csproj IncidentService.Simulator/
COPY IncidentService.Api/IncidentService.Api.csproj IncidentService.Api/
RUN dotnet restore IncidentService.Api/IncidentService.Api.csproj
COPY . .
RUN bash scripts/publish.sh /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# Production: Upstream:BaseUrl, Username and Password must be given (e.g. Upstream__BaseUrl), or startup fails.
# `Urls` binds all interfaces (the service's own default, used when no address is given, is localhost:9000); a
# `docker run -e Urls=…` replaces it. The base image's ASPNETCORE_HTTP_PORTS=8080 is cleared, so that nothing else is
# bound or warned about.
# Requests run on the thread pool (Serving:InlineIo off, no DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS): inline I/O
# costs less CPU, but in a container that shares its cores its gzip and br p99 was 6-14x nginx's (docs/perf.md, third pass).
ENV ASPNETCORE_ENVIRONMENT=Production \
    Urls=http://+:9000 \
    ASPNETCORE_HTTP_PORTS= \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 9000
# The non-root "app" user (uid 1654) that the .NET images provide.
USER $APP_UID
ENTRYPOINT ["dotnet", "IncidentService.Api.dll"]
