#!/usr/bin/env bash
# What access control costs: requests/s anonymous vs API key vs JWT, on loopback only, bounded.
# Builds Release, starts the standalone simulator and two services (Production, same settings otherwise):
#   anonymous  Auth:AllowAnonymous=true, no method configured
#   api-key    an API key and a JWT issuer configured; requests send X-Api-Key
#   jwt        the same service; requests send a bearer token (RS256, verified against the issuer's JWKS)
# Phases alternate between the three (the idle service costs next to nothing), ROUNDS times (default 2), on
# GET /incidents (the whole ~370 KB document) and GET /incidents/{id} (one employee, ~1 KB, where a per-request
# cost shows more), so that a neighbour's load on a shared machine hits every mode alike.
# The JWT issuer is two static files (metadata, JWKS) served by python3's http.server; the token is signed with
# openssl. The rate limit is raised out of the way: this measures authentication and authorization, not the limiter.
# Each phase runs PHASE_SECONDS (default 10) with CLIENTS (default 50) hey clients; prints req/s and latencies.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/hey-lib.sh

PHASE_SECONDS=${PHASE_SECONDS:-10}
ROUNDS=${ROUNDS:-2}
CLIENTS=${CLIENTS:-50}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
for tool in hey curl jq bc openssl; do
  command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null; }
done

work=$(mktemp -d)
pids=()
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
cleanup() { for pid in "${pids[@]}"; do stop "$pid"; done; }
trap cleanup EXIT
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

echo "building Release"
dotnet build -c Release IncidentService.Api -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }

SIM=http://127.0.0.1:$(free_port)
dotnet IncidentService.Simulator/bin/Release/net10.0/IncidentService.Simulator.dll --urls "$SIM" >"$work/simulator.log" 2>&1 &
pids+=($!)

# The issuer: an RSA key, its JWKS and metadata as static files, and one token with scope incidents:read.
ISS=http://127.0.0.1:$(free_port)
mkdir -p "$work/issuer/.well-known"
openssl genrsa -out "$work/issuer.pem" 2048 2>/dev/null
n=$(openssl rsa -in "$work/issuer.pem" -noout -modulus | cut -d = -f 2 | xxd -r -p | b64url)
printf '{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"load","n":"%s","e":"AQAB"}]}' "$n" >"$work/issuer/jwks"
printf '{"issuer":"%s","jwks_uri":"%s/jwks"}' "$ISS" "$ISS" >"$work/issuer/.well-known/openid-configuration"
python3 -m http.server --bind 127.0.0.1 --directory "$work/issuer" "${ISS##*:}" >"$work/issuer.log" 2>&1 &
pids+=($!)
now=$(date +%s)
header=$(printf '{"alg":"RS256","typ":"JWT","kid":"load"}' | b64url)
payload=$(printf '{"iss":"%s","aud":"incident-service","sub":"load-test","scope":"incidents:read","iat":%d,"nbf":%d,"exp":%d}' \
  "$ISS" "$now" "$((now - 60))" "$((now + 3600))" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$work/issuer.pem" -binary | b64url)
TOKEN="$header.$payload.$signature"
API_KEY=$(head -c 32 /dev/urandom | b64url)
API_KEY_HASH=$(printf '%s' "$API_KEY" | sha256sum | cut -d ' ' -f 1)

start_service() { # NAME ARGS...; sets SVC
  local name=$1; shift
  SVC=http://127.0.0.1:$(free_port)
  ASPNETCORE_ENVIRONMENT=Production dotnet IncidentService.Api/bin/Release/net10.0/IncidentService.Api.dll \
    --urls "$SVC" --Upstream:BaseUrl "$SIM/" --Upstream:Username elevate --Upstream:Password simulator \
    --RateLimit:PermitsPerSecond 1000000 --RateLimit:Burst 1000000 "$@" >"$work/service-$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$SVC/readyz" || true)" = 200 ] && return 0
    sleep 0.5
  done
  echo "the $name service never became ready"; tail -n 20 "$work/service-$name.log"; exit 1
}

failures=0
run_phase() { # NAME BASE PATH [HEADER]
  local name=$1 svc=$2 path=$3 header=${4:-} report="$work/$1-$RANDOM.txt"
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' ${header:+-H "$header"} "$svc$path")
  [ "$code" = 200 ] || { echo "$name: a single request answers $code, not 200"; failures=$((failures + 1)); return; }
  hey -z "${PHASE_SECONDS}s" -c "$CLIENTS" -disable-compression ${header:+-H "$header"} "$svc$path" >"$report"
  local rps p50 p99 max total errors bad
  hey_summary "$report"
  printf '%-10s %-16s %9s %9.0f %9.1f %9.1f %9.1f %8s\n' "$name" "$path" "$(( total + errors ))" "$rps" \
    "$(echo "$p50 * 1000" | bc -l)" "$(echo "$p99 * 1000" | bc -l)" "$(echo "$max * 1000" | bc -l)" "$bad"
  [ "$bad" -eq 0 ] || failures=$((failures + 1))
}

start_service anonymous --Auth:AllowAnonymous true
ANON=$SVC
start_service auth --Auth:ApiKeys:load:Sha256 "$API_KEY_HASH" --Auth:ApiKeys:load:Scopes incidents:read \
  --Auth:Jwt:Authority "$ISS" --Auth:Jwt:Audience incident-service --Auth:Jwt:RequireHttpsMetadata false
AUTH=$SVC
code=$(curl -s -o /dev/null -w '%{http_code}' "$AUTH/incidents")
echo "without credentials the authenticated service answers $code"
[ "$code" = 401 ] || failures=$((failures + 1))
employee=$(curl -s -H "X-Api-Key: $API_KEY" "$AUTH/incidents" | jq -r 'keys[0]')

printf '\n%-10s %-16s %9s %9s %9s %9s %9s %8s\n' phase path requests 'req/s' 'p50 ms' 'p99 ms' 'max ms' non-200
for _ in $(seq 1 "$ROUNDS"); do
  for path in /incidents "/incidents/$employee"; do
    run_phase anonymous "$ANON" "$path"
    run_phase api-key "$AUTH" "$path" "X-Api-Key: $API_KEY"
    run_phase jwt "$AUTH" "$path" "Authorization: Bearer $TOKEN"
  done
done

echo "logs: $work"
if [ "$failures" -ne 0 ]; then echo "FAIL"; exit 1; fi
echo "PASS"
