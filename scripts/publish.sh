#!/usr/bin/env bash
# The one publish command, shared by the Dockerfile (`RUN bash scripts/publish.sh /app`) and CI
# (scripts/check-container.sh runs it and starts what it produced). Usage: scripts/publish.sh OUTPUT_DIR
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: scripts/publish.sh OUTPUT_DIR" >&2; exit 2; }
out=$(realpath -m "$1")
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# A framework-dependent IL build: the runtime image provides ASP.NET Core, `dotnet IncidentService.Api.dll` starts it.
dotnet publish IncidentService.Api/IncidentService.Api.csproj -c Release -o "$out" -p:UseAppHost=false --nologo --disable-build-servers
