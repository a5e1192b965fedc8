#!/usr/bin/env bash
# What one request costs the service, in CPU time and bytes allocated, this tree against another build side by side:
# by default the last build that served the API from minimal-API endpoints (BASE=2498ccc), so the figures say what the
# controllers add. Loopback only, bounded.
#
#   bash scripts/bench-request-cost.sh            (from the repo root; BASE=<git ref> ROUNDS=3 DURATION=5s)
#
# Publishes both (scripts/publish.sh of each tree, Release) and starts them as bench-serve.sh starts the service, on
# one standalone simulator, one snapshot for the run. For each request kind — 304, gzip, identity, and a filtered
# answer already built (gzip) — each build in turn gets `wrk -t2 -c32 -d$DURATION`, ROUNDS times, after an unrecorded
# warm-up. Per run: the process's CPU time (utime + stime from /proc/<pid>/stat) and its allocated bytes (the runtime's
# dotnet_gc_heap_total_allocated_bytes_total, scraped from /metrics before and after; one scrape is in the count, a
# few bytes per request) divided by the requests wrk completed. Prints the medians and the difference.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
source scripts/check-lib.sh

BASE=${BASE:-2498ccc}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-5s}
need_packages wrk=wrk curl=curl

echo "publishing this tree and $BASE"
publish_service "$CHECK_TMP/this"
mkdir -p "$CHECK_TMP/base-src"
git archive "$BASE" | tar -x -C "$CHECK_TMP/base-src" || die "git archive $BASE"
bash "$CHECK_TMP/base-src/scripts/publish.sh" "$CHECK_TMP/base" >"$CHECK_TMP/publish-base.log" 2>&1 \
  || { tail -n 30 "$CHECK_TMP/publish-base.log"; die "publishing $BASE"; }
start_simulator

declare -A url pid
for build in base this; do
  port=$(free_port) || die "no free port"
  url[$build]="http://127.0.0.1:$port"
  start_bg "service-$build" env -C "$CHECK_TMP/$build" -u ASPNETCORE_URLS ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_HTTP_PORTS= \
    Urls="${url[$build]}" Upstream__BaseUrl="http://127.0.0.1:$sim_port/" Upstream__Username=elevate Upstream__Password=simulator \
    Auth__AllowAnonymous=true RateLimit__PermitsPerSecond=100000000 RateLimit__Burst=100000000 \
    Refresh__Interval=01:00:00 dotnet IncidentService.Api.dll
  pid[$build]=$BG_PID
  wait_http "${url[$build]}/readyz" 200 90 "$BG_PID" || die "$build: /readyz did not become 200"
done
etag=$(curl -sf -o /dev/null -D - "${url[this]}/incidents" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
base_etag=$(curl -sf -o /dev/null -D - "${url[base]}/incidents" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
[ "$etag" = "$base_etag" ] || die "the two builds serve different snapshots ($base_etag, $etag)"

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
allocated() { curl -sf "$1/metrics" | awk '/^dotnet_gc_heap_total_allocated_bytes_total/ { print $2; exit }'; }

# run BUILD KIND: one wrk run; appends µs and bytes per request to us[BUILD-KIND] and bytes[BUILD-KIND].
declare -A us bytes
declare -A path=([304]=/incidents [gzip]=/incidents [identity]=/incidents [filtered]='/incidents?priority=high,critical')
header() {
  case $1 in
    304) echo "If-None-Match: $etag" ;;
    gzip | filtered) echo 'Accept-Encoding: gzip' ;;
    *) echo 'X-Bench: identity' ;;
  esac
}
run() {
  local build=$1 kind=$2 duration=${3:-$DURATION} report="$CHECK_TMP/wrk-$1-$2.txt"
  local target="${url[$build]}${path[$kind]}"
  local c0 a0 c1 a1 n
  c0=$(cpu_ticks "${pid[$build]}"); a0=$(allocated "${url[$build]}")
  wrk -t2 -c32 -d"$duration" -H "$(header "$kind")" "$target" >"$report" 2>&1
  c1=$(cpu_ticks "${pid[$build]}"); a1=$(allocated "${url[$build]}")
  n=$(awk '/requests in/ { print $1 }' "$report")
  [ "${n:-0}" -gt 0 ] || die "$build $kind: no requests (see $report)"
  us[$build-$kind]="${us[$build-$kind]:-} $(awk -v c=$((c1 - c0)) -v t="$ticks" -v n="$n" 'BEGIN { printf "%.1f", c / t * 1e6 / n }')"
  bytes[$build-$kind]="${bytes[$build-$kind]:-} $(awk -v a="$a0" -v b="$a1" -v n="$n" 'BEGIN { printf "%.0f", (b - a) / n }')"
}

kinds=(304 gzip identity filtered)
echo "warming up: every kind against each build, wrk -d$WARMUP each, not recorded"
for kind in "${kinds[@]}"; do for build in base this; do run "$build" "$kind" "$WARMUP"; done; done
unset us bytes; declare -A us bytes

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), .NET $(dotnet --list-runtimes | awk '/AspNetCore/ {v = $2} END {print v}')"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round of $ROUNDS"
  for kind in "${kinds[@]}"; do
    # Alternate which build goes first, so neither always runs right after the other warmed the caches.
    if [ $((round % 2)) -eq 1 ]; then run base "$kind"; run this "$kind"; else run this "$kind"; run base "$kind"; fi
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
echo "Per request, medians of $ROUNDS rounds (wrk -t2 -c32 -d$DURATION): base = $BASE, this = $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . || echo '+changes')"
printf '| %-34s | %10s | %10s | %8s | %10s | %10s | %8s |\n' kind 'base µs' 'this µs' 'Δ µs' 'base B' 'this B' 'Δ B'
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..36})" "$(printf -- '-%.0s' {1..11}):" "$(printf -- '-%.0s' {1..11}):" "$(printf -- '-%.0s' {1..9}):" "$(printf -- '-%.0s' {1..11}):" "$(printf -- '-%.0s' {1..11}):" "$(printf -- '-%.0s' {1..9}):"
for kind in "${kinds[@]}"; do
  bu=$(median "${us[base-$kind]}"); tu=$(median "${us[this-$kind]}")
  bb=$(median "${bytes[base-$kind]}"); tb=$(median "${bytes[this-$kind]}")
  printf '| %-34s | %10s | %10s | %8s | %10s | %10s | %8s |\n' "$kind ${path[$kind]}" "$bu" "$tu" \
    "$(awk -v a="$tu" -v b="$bu" 'BEGIN { printf "%+.1f", a - b }')" "$bb" "$tb" "$(awk -v a="$tb" -v b="$bb" 'BEGIN { printf "%+.0f", a - b }')"
done
echo "(each round's figures: $(for kind in "${kinds[@]}"; do printf '%s base [%s] this [%s]; ' "$kind" "${us[base-$kind]# }" "${us[this-$kind]# }"; done))"
