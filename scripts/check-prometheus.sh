#!/usr/bin/env bash
# /metrics checked by the real tools: `promtool check metrics` lints a scrape, and a real Prometheus server
# scrapes the service every second and answers queries about it. The service runs with a protected /metrics
# (Auth:ProtectMetrics, a key with scope metrics:read), scraped with docs/access.md's `authorization: type: ApiKey`.
#
#   bash scripts/check-prometheus.sh        (from the repo root, as root; installs Debian's prometheus if missing)
#
# Prints PASS/FAIL lines, ends every process it started, exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
source scripts/check-lib.sh

need_prometheus

# Two service accounts, configured by their hashes only: a dashboard (incidents:read) and the scraper (metrics:read).
new_key() { head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '='; }
sha256() { printf '%s' "$1" | sha256sum | cut -d ' ' -f 1; }
data_key=$(new_key) metrics_key=$(new_key)
printf '%s' "$metrics_key" >"$CHECK_TMP/metrics.key"
export Auth__ProtectMetrics=true \
  Auth__ApiKeys__dashboard__Sha256=$(sha256 "$data_key") Auth__ApiKeys__dashboard__Scopes=incidents:read \
  Auth__ApiKeys__prometheus__Sha256=$(sha256 "$metrics_key") Auth__ApiKeys__prometheus__Scopes=metrics:read
# Probes and metrics on their own port (Management:Urls): the scrape goes there, the API port has no /metrics.
echo "publishing the service (scripts/publish.sh)"
publish_service "$CHECK_TMP/app"
port=$(free_port) && management_port=$(free_port) || die "no free port"
base="http://127.0.0.1:$port" management="http://127.0.0.1:$management_port"
start_service "$port" --Management:Urls "$management"
wait_http "$management/readyz" 200 120 "$SERVICE_PID" || die "/readyz did not become 200 on the management port"
pass "service ready at $base, probes and metrics at $management"
unset Auth__ProtectMetrics Auth__ApiKeys__dashboard__Sha256 Auth__ApiKeys__dashboard__Scopes \
  Auth__ApiKeys__prometheus__Sha256 Auth__ApiKeys__prometheus__Scopes

# A few answers for the counters: 200, then 304 through If-None-Match, and the other endpoints.
etag=$(curl -s -D - -o /dev/null --max-time 5 -H "X-Api-Key: $data_key" "$base/incidents" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p')
check "GET /incidents has an ETag ($etag)" test -n "$etag"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "X-Api-Key: $data_key" -H "If-None-Match: $etag" "$base/incidents")
check "GET /incidents with If-None-Match answers 304 (got $code)" test "$code" = 304
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "X-Api-Key: $data_key" "$base/incidents/unresolved")
check "GET /incidents/unresolved answers 200 (got $code)" test "$code" = 200
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Authorization: ApiKey $metrics_key" "$base/metrics")
check "GET /metrics on the API port answers 404, even with the scraper's key (got $code)" test "$code" = 404
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$management/metrics")
check "GET /metrics without a key answers 401 (got $code)" test "$code" = 401
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "X-Api-Key: $data_key" "$management/metrics")
check "GET /metrics with the dashboard's key (no metrics:read) answers 403 (got $code)" test "$code" = 403

# Two scrapes: the second would show the first in the HTTP server metrics if /metrics were not excluded.
curl -s --max-time 10 -o "$CHECK_TMP/scrape1.txt" -H "Authorization: ApiKey $metrics_key" "$management/metrics"
curl -sf --max-time 10 -o "$CHECK_TMP/scrape.txt" -H "Authorization: ApiKey $metrics_key" "$management/metrics" || die "GET /metrics with the scraper's key"
if promtool check metrics <"$CHECK_TMP/scrape.txt" >"$CHECK_TMP/promtool.txt" 2>&1; then
  pass "promtool check metrics accepts the scrape ($(grep -vc '^#' "$CHECK_TMP/scrape.txt") samples)"
else
  cat "$CHECK_TMP/promtool.txt"
  fail "promtool check metrics rejects the scrape"
fi
check "the scrape has http_server_request_duration_seconds for route incidents" \
  grep -q '^http_server_request_duration_seconds_count{.*http_route="incidents"' "$CHECK_TMP/scrape.txt"
check "the scrape has no http_server series for /metrics itself" \
  bash -c "! grep -E '^http_server_request_duration_seconds.*http_route=\"[^\"]*metrics' '$CHECK_TMP/scrape.txt'"

# A real Prometheus server scraping the service every second, with its own config and storage.
prom_port=$(free_port) || die "no free port"
prom="http://127.0.0.1:$prom_port"
cat >"$CHECK_TMP/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: incident-service
    static_configs:
      - targets: ['127.0.0.1:$management_port']
    authorization:
      type: ApiKey
      credentials_file: $CHECK_TMP/metrics.key
EOF
start_bg prometheus /usr/bin/prometheus --config.file="$CHECK_TMP/prometheus.yml" \
  --storage.tsdb.path="$CHECK_TMP/tsdb" --web.listen-address="127.0.0.1:$prom_port"
prom_pid=$BG_PID
wait_http "$prom/-/ready" 200 60 "$prom_pid" || die "Prometheus did not become ready"
pass "Prometheus $(/usr/bin/prometheus --version 2>&1 | head -n 1 | awk '{print $3}') ready at $prom"

# query PROMQL: the result vector of an instant query, as JSON.
query() { curl -s --max-time 5 --get --data-urlencode "query=$1" "$prom/api/v1/query" | jq -c '.data.result // []'; }

# Bounded wait until Prometheus has the snapshot gauge with a value > 0 and has scraped at least three times.
deadline=$((SECONDS + 60)) incidents="" scrapes=0
while [ "$SECONDS" -lt "$deadline" ]; do
  incidents=$(query 'incidents_snapshot_incidents' | jq -r '.[0].value[1] // empty')
  scrapes=$(query 'count_over_time(up{job="incident-service"}[5m])' | jq -r '.[0].value[1] // 0')
  if [ -n "$incidents" ] && awk -v v="$incidents" 'BEGIN { exit !(v > 0) }' && [ "$scrapes" -ge 3 ]; then break; fi
  alive "$prom_pid" || break
  sleep 0.5
done
check "Prometheus: incidents_snapshot_incidents = ${incidents:-none} > 0 (after $scrapes scrapes)" \
  awk -v v="${incidents:-0}" 'BEGIN { exit !(v > 0) }'
up=$(query 'up{job="incident-service"}' | jq -r '.[0].value[1] // empty')
check "Prometheus: the target is up (up = ${up:-none})" test "$up" = 1

statuses=$(query '{__name__=~"incidents_responses(_total)?"}' | jq -r '[.[].metric.http_response_status_code] | sort | join(",")')
check "Prometheus: incidents_responses_total has status 200 ($statuses)" grep -qw 200 <<<"$statuses"
check "Prometheus: incidents_responses_total has status 304 ($statuses)" grep -qw 304 <<<"$statuses"

routes=$(query 'http_server_request_duration_seconds_count' | jq -r '[.[].metric.http_route] | unique | join(",")')
check "Prometheus: http_server_request_duration_seconds has the incidents route ($routes)" grep -qw incidents <<<"$routes"
own=$(query 'http_server_request_duration_seconds_count{http_route=~".*metrics.*"}' | jq 'length')
check "Prometheus: no http_server_request_duration_seconds series for /metrics ($own series)" test "$own" = 0

for name in incidents_upstream_request_duration_seconds_count incidents_refresh_duration_seconds_count \
  incidents_snapshot_age_seconds incidents_snapshot_employees incidents_feeds_stale incidents_upstream_in_flight; do
  n=$(query "$name" | jq 'length')
  check "Prometheus: $name has $n series" test "$n" -gt 0
done

[ "$CHECK_FAILURES" -eq 0 ]
