#!/usr/bin/env bash
# The operator kit checked by the real tools: the alert rules (deploy/prometheus/alerts.yml) by `promtool check rules`
# and their unit tests by `promtool test rules`, each alert's runbook section (docs/runbook.md), and every query of the
# Grafana dashboard (deploy/grafana/incident-service.json) run by a real Prometheus server that scrapes a live service
# and loads the rules. The service first waits for its identities (a Hang fault: real 503s), then serves, then runs a
# short fault run (probing failing, misuse refusing our credentials), so the panels about error states have data too.
#
#   bash scripts/check-dashboard.sh        (from the repo root, as root; installs Debian's prometheus if missing)
#
# Prints PASS/FAIL lines, ends every process it started, exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
source scripts/check-lib.sh
need_prometheus

# jqe FILTER [FILE]: jq -e, quietly: true or false by the exit code.
jqe() { jq -e "$@" >/dev/null; }

rules=deploy/prometheus/alerts.yml
dashboard=deploy/grafana/incident-service.json

# ---- The rules, offline.
if promtool check rules "$rules" >"$CHECK_TMP/check-rules.txt" 2>&1; then
  pass "promtool check rules: $(grep -o '[0-9]* rules found' "$CHECK_TMP/check-rules.txt")"
else
  cat "$CHECK_TMP/check-rules.txt"; fail "promtool check rules $rules"
fi
if promtool test rules deploy/prometheus/alerts.test.yml >"$CHECK_TMP/test-rules.txt" 2>&1; then
  pass "promtool test rules deploy/prometheus/alerts.test.yml"
else
  cat "$CHECK_TMP/test-rules.txt"; fail "promtool test rules deploy/prometheus/alerts.test.yml"
fi
mapfile -t alerts < <(sed -n 's/^ *- alert: *\([A-Za-z0-9]*\).*/\1/p' "$rules")
for alert in "${alerts[@]}"; do
  anchor=$(tr '[:upper:]' '[:lower:]' <<<"$alert")
  check "alert $alert has a runbook section (docs/runbook.md#$anchor)" grep -qx "## $alert" docs/runbook.md
  check "alert $alert links its runbook section" grep -q "runbook_url: docs/runbook.md#$anchor\$" "$rules"
  check "alert $alert is unit-tested" grep -q "alertname: $alert\$" deploy/prometheus/alerts.test.yml
done

# ---- The dashboard, offline: Grafana 10's schema, the data source a variable that every panel and query uses.
check "dashboard: valid JSON with schemaVersion >= 36 (Grafana 10)" jqe '.schemaVersion >= 36' "$dashboard"
check "dashboard: a data source variable of type prometheus" \
  jqe '[.templating.list[] | select(.type == "datasource" and .query == "prometheus" and .name == "datasource")] | length == 1' "$dashboard"
check "dashboard: every panel and query uses the data source variable" \
  jqe '[.panels[] | select(.type != "row") | .datasource.uid, .targets[].datasource.uid] | all(. == "${datasource}")' "$dashboard"
check "dashboard: every panel has a query" jqe '[.panels[] | select(.type != "row") | (.targets | length)] | all(. > 0)' "$dashboard"

# ---- A live service: a dashboard key (so a request without it is a real 401), a 10 s interval (derived timeouts),
# and identities that hang until this script clears the fault, so the first requests get a real 503. A hanging
# request given up on keeps its upstream slot until the upstream ends it (Upstream:AbandonedAttemptHold, 3 min): this
# simulator's Hang never ends on its own, so the hold is short here, or the identities would answer 3 min late.
new_key() { head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '='; }
key=$(new_key)
echo "publishing the service (scripts/publish.sh)"
publish_service "$CHECK_TMP/app"
port=$(free_port) && management_port=$(free_port) || die "no free port"
base="http://127.0.0.1:$port"
# Probes and metrics on their own port (Management:Urls), as the runbook recommends: Prometheus scrapes that one.
management="http://127.0.0.1:$management_port"
Auth__ApiKeys__dashboard__Sha256=$(printf '%s' "$key" | sha256sum | cut -d ' ' -f 1) Auth__ApiKeys__dashboard__Scopes=incidents:read \
  start_service "$port" --Refresh:Interval 00:00:10 --Simulator:Faults:identities Hang --Upstream:AbandonedAttemptHold 00:00:03 \
  --Management:Urls "$management"
wait_http "$management/healthz" 200 60 "$SERVICE_PID" || die "/healthz did not become 200 on the management port"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base/metrics")
check "/metrics is not served on the API port when Management:Urls is set (got $code)" test "$code" = 404
simulator=""
for _ in $(seq 1 100); do
  simulator=$(grep -o 'Upstream simulator listening on http://127\.0\.0\.1:[0-9]*/' "$CHECK_TMP/service.log" | head -n 1 | awk '{print $NF}')
  [ -n "$simulator" ] && break
  sleep 0.1
done
[ -n "$simulator" ] || die "the embedded simulator's address is not in the log"
pass "service at $base, probes and metrics at $management (simulator at $simulator)"

prom_port=$(free_port) || die "no free port"
prom="http://127.0.0.1:$prom_port"
cat >"$CHECK_TMP/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $PWD/$rules
scrape_configs:
  - job_name: incident-service
    static_configs:
      - targets: ['127.0.0.1:$management_port']
EOF
start_bg prometheus /usr/bin/prometheus --config.file="$CHECK_TMP/prometheus.yml" \
  --storage.tsdb.path="$CHECK_TMP/tsdb" --web.listen-address="127.0.0.1:$prom_port"
prom_pid=$BG_PID
wait_http "$prom/-/ready" 200 60 "$prom_pid" || die "Prometheus did not become ready"
pass "Prometheus $(/usr/bin/prometheus --version 2>&1 | head -n 1 | awk '{print $3}') ready at $prom, rules loaded from $rules"

# query PROMQL: the whole answer of an instant query.
query() { curl -s --max-time 10 --get --data-urlencode "query=$1" "$prom/api/v1/query"; }
# wait_for PROMQL SECONDS: until the query has a result.
wait_for() {
  local deadline=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$deadline" ]; do
    [ "$(query "$1" | jq '.data.result | length')" -gt 0 ] 2>/dev/null && return 0
    alive "$prom_pid" || return 1
    sleep 0.5
  done
  return 1
}
get() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "X-Api-Key: $key" "$@"; }

wait_for 'up{job="incident-service"} == 1' 30 || die "Prometheus does not scrape the service"

# Real 503s: no snapshot while the identities hang. Two bursts a few scrapes apart, so that rate() sees them grow.
codes=""
for _ in 1 2; do codes+="$(get "$base/incidents") "; done
wait_for 'http_server_request_duration_seconds_count{http_response_status_code="503"}' 20 || fail "Prometheus did not see the 503s"
for _ in 1 2; do codes+="$(get "$base/incidents") "; done
check "before the first snapshot /incidents answers 503 ($codes)" test "$codes" = "503 503 503 503 "
wait_for 'http_server_request_duration_seconds_count{http_response_status_code="503"} >= 4' 20 || fail "Prometheus did not see the second 503s"

curl -s -o /dev/null --max-time 5 -X DELETE "${simulator}_simulator/faults/identities" || fail "clearing the identities fault"
wait_http "$management/readyz" 200 60 "$SERVICE_PID" || die "/readyz did not become 200"
pass "the service serves once the identities answer"

# Ordinary traffic: 200, 304, 400, 404, the summary, /status, and 401 without the key.
etag=$(curl -s -D - -o /dev/null --max-time 10 -H "X-Api-Key: $key" "$base/incidents" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p')
codes="$(get -H "If-None-Match: $etag" "$base/incidents") $(get "$base/incidents?foo=1") $(get "$base/incidents/999999999")"
codes+=" $(get "$base/incidents/summary") $(get "$base/incidents?priority=high") $(get "$base/status")"
codes+=" $(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$base/incidents")"
check "traffic: 304, 400, 404, 200, 200, 200, 401 ($codes)" test "$codes" = "304 400 404 200 200 200 401"

# The fault run: probing fails (5xx), misuse refuses our credentials (401); both become stale.
curl -s -o /dev/null --max-time 5 -X PUT -H 'Content-Type: application/json' -d '{"fault": "ServerError"}' "${simulator}_simulator/faults/probing"
curl -s -o /dev/null --max-time 5 -X PUT -H 'Content-Type: application/json' -d '{"fault": "Unauthorized"}' "${simulator}_simulator/faults/misuse"
check "fault run: Prometheus sees probing and misuse stale" wait_for 'count(incidents_feed_stale{feed=~"probing|misuse"} == 1) == 2' 60
check "fault run: Prometheus sees an upstream 401" wait_for 'incidents_upstream_request_duration_seconds_count{outcome="unauthorized"} > 0' 30
# Traffic again, so the request-rate panels have fresh samples on both sides of the last scrapes.
for _ in 1 2 3; do get "$base/incidents" >/dev/null; get "$base/incidents/summary" >/dev/null; sleep 1; done

# ---- Every dashboard query against the live data, with the variables as Grafana would fill them.
job=$(curl -s --max-time 10 --get --data-urlencode 'match[]=incidents_snapshot_incidents' "$prom/api/v1/label/job/values" | jq -r '.data[0] // empty')
check "variable job: label_values(incidents_snapshot_incidents, job) = ${job:-none}" test "$job" = incident-service
instances=$(curl -s --max-time 10 --get --data-urlencode "match[]=incidents_snapshot_incidents{job=\"$job\"}" "$prom/api/v1/label/instance/values" | jq -r '.data | join(",")')
check "variable instance: label_values(…, instance) = ${instances:-none}" test "$instances" = "127.0.0.1:$management_port"
queries=0
while IFS=$'\t' read -r title expr; do
  promql=${expr//\$__rate_interval/1m}
  promql=${promql//\$job/$job}
  promql=${promql//\$instance/.*}
  answer=$(query "$promql")
  status=$(jq -r '.status' <<<"$answer" 2>/dev/null)
  series=$(jq '.data.result | length' <<<"$answer" 2>/dev/null)
  if [ "$status" = success ] && [ "${series:-0}" -gt 0 ]; then
    pass "panel \"$title\": $series series for $expr"
  else
    fail "panel \"$title\": $expr → ${status:-no answer} with ${series:-0} series $(jq -c '.error // empty' <<<"$answer" 2>/dev/null)"
  fi
  queries=$((queries + 1))
done < <(jq -r '.panels[] | select(.type != "row") | .title as $t | .targets[] | [$t, .expr] | @tsv' "$dashboard")
check "the dashboard's $queries queries were all run" test "$queries" -ge 20

# The error panels show the fault run, not just zeros.
check "panel \"Stale feeds by name\" shows probing stale" \
  test "$(query "max by (feed) (incidents_feed_stale{job=\"$job\", feed=\"probing\"})" | jq -r '.data.result[0].value[1]')" = 1
check "panel \"Fetch outcomes per feed\" shows misuse unauthorized" \
  test "$(query "sum by (feed, outcome) (increase(incidents_upstream_request_duration_seconds_count{job=\"$job\", outcome=\"unauthorized\"}[1m]))" | jq -r '.data.result[0].metric.feed')" = misuse
check "panel \"5xx ratio\" is above zero after the 503s" \
  jqe '(.data.result[0].value[1] | tonumber) > 0' <<<"$(query "sum(rate(http_server_request_duration_seconds_count{job=\"$job\", http_response_status_code=~\"5..\"}[5m])) / sum(rate(http_server_request_duration_seconds_count{job=\"$job\"}[5m]))")"

# ---- The rules, live: all evaluated without error; the 401 alert fires, the down alert does not.
rules_json=$(curl -s --max-time 10 "$prom/api/v1/rules")
check "Prometheus evaluates all ${#alerts[@]} rules without error" \
  jqe --argjson n "${#alerts[@]}" '[.data.groups[].rules[]] | length == $n and all(.health == "ok")' <<<"$rules_json"
check "live: IncidentUpstreamUnauthorized fires" \
  jqe '[.data.groups[].rules[] | select(.name == "IncidentUpstreamUnauthorized")][0].state == "firing"' <<<"$rules_json"
check "live: IncidentServiceDown does not" \
  jqe '[.data.groups[].rules[] | select(.name == "IncidentServiceDown")][0].state == "inactive"' <<<"$rules_json"

[ "$CHECK_FAILURES" -eq 0 ]
