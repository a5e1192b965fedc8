#!/usr/bin/env bash
# Filtered answers on a large snapshot: what one client's stream of new filters costs another client, and whether
# memory goes back after the data shrinks. Loopback only, bounded.
#
#   bash scripts/load-big-feed.sh        (from the repo root, as root on Debian; installs hey, curl, jq if missing)
#
# Publishes the service and the standalone simulator; the simulator serves ITEMS incidents per feed (default 36000:
# about 250 k in all, a ~55 MB /incidents) at a small latency. The service runs in Production, anonymous, with the
# default rate limit (50/s, burst 100). Then, for DURATION seconds each:
#   alone     a reader asks GET /incidents/summary (gzip) at READER_RATE/s; its median and slowest are printed;
#   filtered  the same reader, while a second client asks a new filter (?since=N, N never repeated) at 6/s;
#   shrunk    every feed is cut to 1 % of its items, and after two refresh cycles the service's RSS is read.
# Prints the reader's latencies, the filtering client's status codes and the service's RSS at each step.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
source scripts/check-lib.sh

ITEMS=${ITEMS:-36000}
DURATION=${DURATION:-30}
READER_RATE=${READER_RATE:-5}

need_packages hey=hey curl=curl jq=jq

echo "publishing the service (scripts/publish.sh) and the standalone simulator"
publish_service "$CHECK_TMP/app"
publish_release IncidentService.Simulator/IncidentService.Simulator.csproj simulator
sim_port=$(free_port) && port=$(free_port) || die "no free port"
start_bg simulator env -C "$CHECK_TMP/simulator" dotnet IncidentService.Simulator.dll \
  --urls "http://127.0.0.1:$sim_port" --Simulator:LatencyScale 0.05 --Simulator:IncidentsPerFeed "$ITEMS"
wait_http "http://127.0.0.1:$sim_port/identities/" 401 60 "$BG_PID" || die "the simulator did not start"
start_bg service env -C "$CHECK_TMP/app" ASPNETCORE_ENVIRONMENT=Production \
  dotnet IncidentService.Api.dll --urls "http://127.0.0.1:$port" --Auth:AllowAnonymous true \
  --Upstream:BaseUrl "http://127.0.0.1:$sim_port/" --Upstream:Username elevate --Upstream:Password simulator \
  --Refresh:Interval 00:00:10
service_pid=$BG_PID
base="http://127.0.0.1:$port"
wait_http "$base/readyz" 200 300 "$service_pid" || die "/readyz did not become 200"
size=$(curl -s -o /dev/null -w '%{size_download}' "$base/incidents")
echo "snapshot: $(curl -s "$base/status" | jq -r '.snapshot.incidents // "?"') incidents, /incidents $((size / 1000000)) MB"

rss() { awk '/^VmRSS/ {printf "%d MB", $2 / 1024}' "/proc/$service_pid/status"; }

# reader: hey at a fixed rate, one connection; prints median and slowest.
reader() {
  hey -z "${DURATION}s" -c 1 -q "$READER_RATE" -H 'Accept-Encoding: gzip' "$base/incidents/summary" 2>/dev/null \
    | awk '/50% in/ {p50=$3} /Slowest:/ {slow=$2} END {printf "median %.1f ms, slowest %.0f ms", p50 * 1000, slow * 1000}'
}

# filterer: a new filter every 1/6 s for DURATION seconds; counts the status codes.
filterer() {
  local n=0 end=$((SECONDS + DURATION))
  while [ "$SECONDS" -lt "$end" ]; do
    n=$((n + 1))
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 "$base/incidents?since=$n" &
    sleep 0.166
  done
  wait
}

echo "rss at start: $(rss)"
echo "alone:    reader $(reader); rss $(rss)"
filterer >"$CHECK_TMP/filter-codes" &
filter_pid=$!
echo "filtered: reader $(reader); rss $(rss)"
wait "$filter_pid"
echo "          the filtering client's answers: $(sort "$CHECK_TMP/filter-codes" | uniq -c | awk '{printf "%s×%s ", $1, $2}')"

for feed in denial intrusion executable misuse unauthorized probing other; do
  curl -s -o /dev/null -X PUT -H 'Content-Type: application/json' -d '{"fault": "IdentitiesShrunk:0.01"}' \
    "http://127.0.0.1:$sim_port/_simulator/faults/$feed"
done
for _ in $(seq 1 60); do
  [ "$(curl -s -o /dev/null -w '%{size_download}' "$base/incidents")" -lt $((size / 10)) ] && break
  sleep 1
done
sleep 12 # one more refresh cycle, and the release after it
echo "shrunk:   /incidents $(($(curl -s -o /dev/null -w '%{size_download}' "$base/incidents") / 1000)) KB; rss $(rss)"
