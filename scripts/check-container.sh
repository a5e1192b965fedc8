#!/usr/bin/env bash
# The container, checked without a Docker engine: the Dockerfile's publish step is scripts/publish.sh, so this
# runs that script on the Docker build context (the repo minus .dockerignore) and starts its output the way the
# runtime stage does: `dotnet IncidentService.Api.dll` in Production, configured through environment variables.
#   (a) without Upstream:BaseUrl it must stop with exit 1 and one line naming Upstream:BaseUrl; so must unparsable
#       values and credentials in Upstream:BaseUrl, naming each key and echoing no password;
#   (a2) with an upstream but no authentication choice it must stop with exit 1 and one line naming Auth;
#   (b) pointed at the standalone simulator (its own published output, on loopback), with an API key configured by
#       its hash, it must become ready and serve that key (401 without it), and never log the key.
#
#   bash scripts/check-container.sh        (from the repo root)
#
# Prints PASS/FAIL lines, ends every process it started, exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
source scripts/check-lib.sh

need_jq

# --- The Dockerfile: one publish command, the one CI runs; the runtime stage as documented.
runtime_stage=$(sed -n '/^FROM .*aspnet:10\.0/,$p' Dockerfile)
check "Dockerfile: the build stage is the .NET 10 SDK" grep -q '^FROM mcr.microsoft.com/dotnet/sdk:10\.0 AS build' Dockerfile
check "Dockerfile: the runtime stage is aspnet:10.0" test -n "$runtime_stage"
check "Dockerfile: the publish step runs scripts/publish.sh" grep -qE '^RUN .*scripts/publish\.sh /app' Dockerfile
check "Dockerfile: no other dotnet publish" bash -c "! grep -q 'dotnet publish' Dockerfile"
check "Dockerfile: runtime ENV ASPNETCORE_ENVIRONMENT=Production" grep -q 'ASPNETCORE_ENVIRONMENT=Production' <<<"$runtime_stage"
check "Dockerfile: runtime ENV Urls=http://+:9000" grep -q 'Urls=http://+:9000' <<<"$runtime_stage"
check "Dockerfile: EXPOSE 9000" grep -q '^EXPOSE 9000$' <<<"$runtime_stage"
# shellcheck disable=SC2016 # a literal $APP_UID
check "Dockerfile: runs as the non-root user" grep -qE '^USER (\$APP_UID|app)$' <<<"$runtime_stage"
check "Dockerfile: starts IncidentService.Api.dll" grep -q '^ENTRYPOINT \["dotnet", "IncidentService.Api.dll"\]' <<<"$runtime_stage"

# --- The build context, as `COPY . .` sees it: the repo without what .dockerignore names (simple patterns).
context="$CHECK_TMP/context"
mkdir -p "$context"
excludes=()
while IFS= read -r pattern; do
  pattern=${pattern%/}
  case "$pattern" in
    '' | '#'*) ;;
    '**/'*) excludes+=(--no-anchored "--exclude=${pattern#\*\*/}") ;;
    *) excludes+=(--anchored "--exclude=./$pattern") ;;
  esac
done <.dockerignore
tar -cf - "${excludes[@]}" . | tar -C "$context" -xf - || die "copying the build context"
check "build context has no bin/, obj/ or .git ($(du -sh "$context" | cut -f1))" \
  bash -c "[ -z \"\$(find '$context' \( -name bin -o -name obj -o -name .git \) -print -quit)\" ]"
check "build context has scripts/publish.sh and global.json" test -f "$context/scripts/publish.sh" -a -f "$context/global.json"

echo "publishing the service from the build context (scripts/publish.sh, as the Dockerfile does)"
started=$SECONDS
bash "$context/scripts/publish.sh" "$CHECK_TMP/app" >"$CHECK_TMP/publish.log" 2>&1 || { tail -n 30 "$CHECK_TMP/publish.log"; die "scripts/publish.sh"; }
check "scripts/publish.sh produced IncidentService.Api.dll in $((SECONDS - started)) s" test -f "$CHECK_TMP/app/IncidentService.Api.dll"
check "the published output has the XML comments Swagger reads" test -f "$CHECK_TMP/app/IncidentService.Api.xml"

# The published service, started as the runtime stage does: Production, Urls, Upstream__* only where given here.
service_env=(env -C "$CHECK_TMP/app" -u Upstream__BaseUrl -u Upstream__Username -u Upstream__Password -u ASPNETCORE_URLS
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_HTTP_PORTS= DOTNET_CLI_TELEMETRY_OPTOUT=1)

# --- (a) Production without Upstream:BaseUrl: a clear startup error, not a silent simulator.
port=$(free_port) || die "no free port"
timeout 60 "${service_env[@]}" Urls="http://127.0.0.1:$port" dotnet IncidentService.Api.dll >"$CHECK_TMP/no-upstream.log" 2>&1 </dev/null
status=$?
check "(a) without Upstream:BaseUrl the service exits 1, not a crash (exit $status)" test "$status" -eq 1
check "(a) it says so in one line naming Upstream:BaseUrl" grep -q '^Invalid configuration: Upstream:BaseUrl' "$CHECK_TMP/no-upstream.log"
check "(a) and prints no stack trace outside its JSON log" bash -c "! grep -v '^{' '$CHECK_TMP/no-upstream.log' | grep -q '   at '"
grep -v '^{' "$CHECK_TMP/no-upstream.log" | grep -m 1 'Upstream:BaseUrl' | cut -c 1-300 | sed 's/^/  /'

# --- (a2) Production with an upstream but neither an authentication method nor Auth:AllowAnonymous: refused.
port=$(free_port) || die "no free port"
timeout 60 "${service_env[@]}" Urls="http://127.0.0.1:$port" Upstream__BaseUrl=http://127.0.0.1:9/ Upstream__Username=u Upstream__Password=p \
  dotnet IncidentService.Api.dll >"$CHECK_TMP/no-auth.log" 2>&1 </dev/null
status=$?
check "(a2) without an authentication choice the service exits 1 (exit $status)" test "$status" -eq 1
check "(a2) it says so in one line naming Auth" grep -q '^Invalid configuration: Auth: ' "$CHECK_TMP/no-auth.log"
grep -m 1 '^Invalid configuration: Auth' "$CHECK_TMP/no-auth.log" | cut -c 1-300 | sed 's/^/  /'

# --- (a3) Unparsable values and credentials in the URL: the same one line, exit 1, the password never echoed.
timeout 60 "${service_env[@]}" Urls="http://127.0.0.1:$port" Upstream__BaseUrl="http://elevate:hunter2-pw@127.0.0.1:1/" \
  Upstream__Username=elevate Upstream__Password=simulator dotnet IncidentService.Api.dll --Refresh:Interval abc \
  --Refresh:MaxConcurrency three >"$CHECK_TMP/unparsable.log" 2>&1 </dev/null
status=$?
check "(a3) unparsable values exit 1, not a crash (exit $status)" test "$status" -eq 1
check "(a3) one line in all" test "$(wc -l <"$CHECK_TMP/unparsable.log")" -eq 1
check "(a3) it names Refresh:Interval" grep -q "^Invalid configuration: .*Refresh:Interval: 'abc' is not a duration" "$CHECK_TMP/unparsable.log"
check "(a3) it names Refresh:MaxConcurrency" grep -q "Refresh:MaxConcurrency: 'three' is not a whole number" "$CHECK_TMP/unparsable.log"
check "(a3) it names Upstream:BaseUrl's credentials without echoing them" \
  bash -c "grep -q 'Upstream:BaseUrl: must not carry credentials' '$CHECK_TMP/unparsable.log' && ! grep -q hunter2 '$CHECK_TMP/unparsable.log'"
cut -c 1-300 "$CHECK_TMP/unparsable.log" | sed 's/^/  /'

# --- (b) Pointed at the standalone simulator, published from the same context, on loopback.
echo "publishing the standalone simulator"
start_simulator "$context"
pass "standalone simulator at http://127.0.0.1:$sim_port (401 without credentials)"

port=$(free_port) || die "no free port"
base="http://127.0.0.1:$port"
# Request lines (Information) are off by default; an operator turns them on like this to see trace ids on them.
# A service account's key: the service gets only its SHA-256, as an operator would configure it.
api_key=$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')
api_key_hash=$(printf '%s' "$api_key" | sha256sum | cut -d ' ' -f 1)
start_bg service "${service_env[@]}" Urls="$base" Upstream__BaseUrl="http://127.0.0.1:$sim_port/" \
  Auth__ApiKeys__ci__Sha256="$api_key_hash" Auth__ApiKeys__ci__Scopes=incidents:read \
  Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics=Information \
  Upstream__Username=elevate Upstream__Password=simulator dotnet IncidentService.Api.dll
service_pid=$BG_PID
if wait_http "$base/readyz" 200 90 "$service_pid"; then pass "(b) /readyz is 200"; else die "(b) /readyz did not become 200"; fi
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base/incidents")
check "(b) /incidents without the API key is 401 (got $code)" test "$code" = 401
code=$(curl -s -o "$CHECK_TMP/incidents.json" -w '%{http_code}' --max-time 5 -H "X-Api-Key: $api_key" "$base/incidents")
check "(b) /incidents is 200 (got $code, $(wc -c <"$CHECK_TMP/incidents.json") bytes)" test "$code" = 200
check "(b) /incidents has employees" jq -e 'length > 0' "$CHECK_TMP/incidents.json" >/dev/null
simulated=$(curl -s --max-time 5 -H "X-Api-Key: $api_key" "$base/status" | jq -r '.upstream.simulator')
check "(b) /status says the upstream is not the embedded simulator (simulator: $simulated)" test "$simulated" = false

# Logs outside Development: one JSON object per line, with TraceId/SpanId for a request, and no credentials.
curl -s -o /dev/null --max-time 5 -H "X-Api-Key: $api_key" "$base/incidents/abc"
log="$CHECK_TMP/service.log"
# The console logger writes from a background queue: wait for the line rather than a fixed time.
for _ in $(seq 1 50); do grep -q '"RequestPath":"/incidents/abc"' "$log" && break; sleep 0.1; done
check "(b) every log line is JSON" bash -c "jq -e . '$log' >/dev/null 2>&1"
check "(b) every log line has a UTC ISO 8601 Timestamp" \
  bash -c "jq -e -s 'all(.[]; .Timestamp | test(\"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\\\.[0-9]{3}Z\$\"))' '$log' >/dev/null"
check "(b) the refresh cycle summary (event 100) is logged" bash -c "jq -e 'select(.EventId == 100)' '$log' | grep -q ."
check "(b) request log lines carry TraceId and SpanId" \
  bash -c "jq -e 'select(any(.Scopes[]?; .RequestPath != null)) | select(any(.Scopes[]?; (.TraceId | length) == 32 and (.SpanId | length) == 16))' '$log' | grep -q ."
basic=$(printf 'elevate:simulator' | base64)
check "(b) the password and the Basic credentials never appear in the log" \
  bash -c "! grep -qE 'Password|$basic|:simulator' '$log'"
check "(b) the API key never appears in the log" bash -c "! grep -qF -- '$api_key' '$log'"

stop_bg "$service_pid"
check "(b) the service stops on SIGTERM" bash -c "! kill -0 $service_pid 2>/dev/null"

[ "$CHECK_FAILURES" -eq 0 ]
