#!/usr/bin/env bash
# Load test of IncidentService against the standalone upstream simulator, on loopback only. Bounded: each phase runs
# PHASE_SECONDS (default 20) with CLIENTS concurrent clients (default 50), then everything is stopped.
# Phases: healthy upstream; every target failing (ServerError); mixed (Slow / Hang / errors on some targets).
# Reports p50/p99/max latency, requests/s and non-200 count per phase, and the upstream's peak requests in flight.
# Exits non-zero on any non-200 answer or if the upstream ever saw more than Refresh:MaxConcurrency requests at once.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/hey-lib.sh

PHASE_SECONDS=${PHASE_SECONDS:-20}
CLIENTS=${CLIENTS:-50}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
SIM_PORT=${SIM_PORT:-$(free_port)}
SVC_PORT=${SVC_PORT:-$(free_port)}
MAX_CONCURRENCY=${MAX_CONCURRENCY:-3}
HOST=127.0.0.1
SIM=http://$HOST:$SIM_PORT
SVC=http://$HOST:$SVC_PORT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v hey >/dev/null; then
  echo "installing hey (Debian package)"
  apt-get update -qq && apt-get install -y -qq hey >/dev/null
fi
for tool in curl jq; do
  command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

echo "building Release"
dotnet build -c Release IncidentService.sln -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }

echo "starting the simulator on $SIM (realistic latency)"
dotnet IncidentService.Simulator/bin/Release/net10.0/IncidentService.Simulator.dll --urls "$SIM" >"$work/simulator.log" 2>&1 &
pids+=($!)
# Anonymous and with the rate limit out of the way: 50 clients from one address are one "runaway" client to the
# limiter, and this measures the upstream handling (scripts/load-auth.sh measures access control).
echo "starting the service on $SVC (Production, MaxConcurrency $MAX_CONCURRENCY, a cycle every 10 s so each phase sees two)"
ASPNETCORE_ENVIRONMENT=Production dotnet IncidentService.Api/bin/Release/net10.0/IncidentService.Api.dll \
  --urls "$SVC" --Upstream:BaseUrl "$SIM/" --Upstream:Username elevate --Upstream:Password simulator \
  --Refresh:MaxConcurrency "$MAX_CONCURRENCY" --Refresh:Interval 00:00:10 \
  --Upstream:AttemptTimeout 00:00:04 --Upstream:TotalTimeout 00:00:09 \
  --Auth:AllowAnonymous true --RateLimit:PermitsPerSecond 1000000 --RateLimit:Burst 1000000 >"$work/service.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$SVC/readyz" || true)" = 200 ] && break
  sleep 0.5
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$SVC/readyz")" = 200 ] || { echo "the service never became ready"; tail -n 30 "$work/service.log"; exit 1; }
echo "ready: $(curl -s "$SVC/status" | jq -c '{employees: .snapshot.employees, incidents: .snapshot.incidents, cycle: .lastCycle.number}'); body $(curl -s "$SVC/incidents" | wc -c) bytes"

fault() { curl -sf -X PUT -H 'Content-Type: application/json' -d "{\"fault\": \"$2\"}" "$SIM/_simulator/faults/$1" >/dev/null; }
clear_faults() { curl -sf -X DELETE "$SIM/_simulator/faults" >/dev/null; }

failures=0
printf '\n%-8s %9s %9s %9s %9s %9s %8s  %s\n' phase requests 'req/s' 'p50 ms' 'p99 ms' 'max ms' non-200 'after the phase'
run_phase() {
  local name=$1 report="$work/$1.txt"
  hey -z "${PHASE_SECONDS}s" -c "$CLIENTS" -disable-compression "$SVC/incidents" >"$report"
  local rps p50 p99 max total errors bad
  hey_summary "$report"
  local cycle
  cycle=$(curl -s "$SVC/status" | jq -c '{cycle: .lastCycle.number, stale: [.feeds[] | select(.stale) | .name]}')
  printf '%-8s %9s %9.0f %9.1f %9.1f %9.1f %8s  %s\n' "$name" "$(( total + errors ))" "$rps" "$(echo "$p50 * 1000" | bc -l)" "$(echo "$p99 * 1000" | bc -l)" "$(echo "$max * 1000" | bc -l)" "$bad" "$cycle"
  [ "$bad" -eq 0 ] || failures=$((failures + 1))
}
command -v bc >/dev/null || { apt-get update -qq && apt-get install -y -qq bc >/dev/null; }

clear_faults
run_phase healthy
fault all ServerError
run_phase faulty
clear_faults
fault denial Slow:3; fault probing Hang; fault intrusion StallMidBody; fault other ServerError; fault identities TooManyRequests:2
run_phase mixed
clear_faults

stats=$(curl -s "$SIM/_simulator/stats")
peak=$(jq .peakInFlight <<<"$stats")
status=$(curl -s "$SVC/status")
echo
echo "upstream: $(jq -c . <<<"$stats") (limit $MAX_CONCURRENCY)"
echo "service:  cycles $(jq .lastCycle.number <<<"$status"); stale now: $(jq -c '[.feeds[] | select(.stale) | .name]' <<<"$status")"
echo "logs: $work"
if [ "$peak" -gt "$MAX_CONCURRENCY" ]; then echo "FAIL: the upstream saw $peak requests in flight"; failures=$((failures + 1)); fi
if [ "$failures" -ne 0 ]; then echo "FAIL"; exit 1; fi
echo "PASS"
