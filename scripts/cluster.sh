#!/usr/bin/env bash
# A cluster on loopback, as an operator would run it: redis-server, the standalone upstream simulator, three replicas
# of the service sharing that Redis, and Debian's nginx balancing across them.
#
#   bash scripts/cluster.sh            starts everything, prints where to look, runs until Ctrl-C
#   bash scripts/cluster.sh --check    starts everything, checks one leader and the same answer everywhere, stops
#   bash scripts/cluster.sh --live-delay   starts everything, times change events on every replica and through
#                                      nginx against the leader's (checks/live-view/cluster-delay.mjs, needs node), stops
#
# Installs redis-server, nginx and jq from Debian if missing (as root). Every process it starts ends with it.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
mode=${1:-run}
source scripts/check-lib.sh

need_packages redis-server=redis-server nginx=nginx jq=jq

echo "publishing the service and the simulator (Release)"
publish_service "$CHECK_TMP/app"
start_simulator . 1 # at the upstream's own latency

redis_port=$(free_port) && lb_port=$(free_port) || die "no free port"
start_bg redis redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no

# The replicas: Production, anonymous reads (a local demo), one Redis, one signing key for the records they
# share. Probes and metrics are on a management port of their own (Management:Urls), out of the load balancer's reach.
signing_key=$(head -c 32 /dev/urandom | base64)
replica_ports=() replica_pids=() management_ports=()
for i in 1 2 3; do
  port=$(free_port) && management_port=$(free_port) || die "no free port"
  replica_ports+=("$port") management_ports+=("$management_port")
  start_bg "replica-$i" env -C "$CHECK_TMP/app" ASPNETCORE_ENVIRONMENT=Production \
    dotnet IncidentService.Api.dll --urls "http://127.0.0.1:$port" --Management:Urls "http://127.0.0.1:$management_port" \
    --Upstream:BaseUrl "http://127.0.0.1:$sim_port/" --Upstream:Username elevate --Upstream:Password simulator \
    --Redis:Configuration "127.0.0.1:$redis_port" --Snapshot:SigningKey "$signing_key" --Cluster:ReplicaName "replica-$i" --Auth:AllowAnonymous true
  replica_pids+=("$BG_PID")
done

# nginx in front: round robin, and a replica that refuses is skipped for the next.
mkdir -p "$CHECK_TMP/nginx"
{
  echo "worker_processes 1; error_log $CHECK_TMP/nginx/error.log; pid $CHECK_TMP/nginx/nginx.pid; daemon off;"
  echo "events { worker_connections 1024; }"
  echo "http {"
  echo "  access_log off; client_body_temp_path $CHECK_TMP/nginx; proxy_temp_path $CHECK_TMP/nginx;"
  echo "  fastcgi_temp_path $CHECK_TMP/nginx; uwsgi_temp_path $CHECK_TMP/nginx; scgi_temp_path $CHECK_TMP/nginx;"
  echo "  upstream replicas {"
  for port in "${replica_ports[@]}"; do echo "    server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"; done
  echo "    keepalive 16;"
  echo "  }"
  echo "  server {"
  echo "    listen 127.0.0.1:$lb_port;"
  echo "    location / { proxy_pass http://replicas; proxy_http_version 1.1; proxy_set_header Connection \"\";"
  echo "                 proxy_next_upstream error timeout http_503; }"
  echo "  }"
  echo "}"
} >"$CHECK_TMP/nginx/nginx.conf"
start_bg nginx nginx -c "$CHECK_TMP/nginx/nginx.conf" -p "$CHECK_TMP/nginx"

lb="http://127.0.0.1:$lb_port"
for i in 1 2 3; do
  wait_http "http://127.0.0.1:${replica_ports[$((i - 1))]}/incidents" 200 180 || die "replica-$i did not serve /incidents"
done
wait_http "$lb/incidents" 200 30 || die "nginx did not serve /incidents"

roles() {
  local port
  for port in "${replica_ports[@]}"; do
    curl -s --max-time 5 "http://127.0.0.1:$port/status" | jq -r '"\(.cluster.role) \(.cluster.leaseHolder) \(.cluster.source)"'
  done
}

# One line per replica: its name (Cluster:ReplicaName, what /status calls leaseHolder), URL, PID and role now.
replicas() {
  local i port role
  for i in 1 2 3; do
    port=${replica_ports[$((i - 1))]}
    role=$(curl -s --max-time 5 "http://127.0.0.1:$port/status" | jq -r '.cluster.role' 2>/dev/null)
    printf '    %-10s  http://127.0.0.1:%-5s  PID %-7s  %-9s  management http://127.0.0.1:%s\n' "replica-$i" "$port" \
      "${replica_pids[$((i - 1))]}" "${role:-unreachable}" "${management_ports[$((i - 1))]}"
  done
}

if [ "$mode" = "--check" ]; then
  check "exactly one leader" test "$(roles | grep -c '^leader ')" -eq 1
  check "two followers serving what the leader published" test "$(roles | grep -c '^follower .* redis$')" -eq 2
  tags=$(for port in "${replica_ports[@]}" "$lb_port"; do
    curl -s -D - -o /dev/null --max-time 5 "http://127.0.0.1:$port/incidents" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p'
  done | sort -u)
  check "one ETag on every replica and behind nginx ($tags)" test "$(wc -l <<<"$tags")" -eq 1
  table=$(replicas) && echo "$table"
  leader=$(curl -s --max-time 5 "$lb/status" | jq -r '.cluster.leaseHolder')
  read -r _ leader_url _ leader_pid _ < <(grep -E "^ +$leader " <<<"$table")
  check "the leader ($leader) is listed with its URL and the PID of the process serving it" \
    grep -qF -- "--urls ${leader_url:-none} " <(tr '\0' ' ' <"/proc/${leader_pid:-0}/cmdline")
  ready=$(for port in "${management_ports[@]}"; do curl -s -o /dev/null -w '%{http_code} ' --max-time 5 "http://127.0.0.1:$port/readyz"; done)
  check "every replica ready on its management port ($ready)" test "$ready" = "200 200 200 "
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$lb/metrics")
  check "no metrics behind nginx: /metrics is on the management ports only (got $code)" test "$code" = 404
  exit 0
fi

if [ "$mode" = "--live-delay" ]; then
  node checks/live-view/cluster-delay.mjs "http://127.0.0.1:$sim_port" "$lb" \
    "${replica_ports[@]/#/http://127.0.0.1:}" || fail "change events on every replica"
  exit 0
fi

cat <<INFO

The cluster is up (Ctrl-C stops everything):
  load balancer   $lb/incidents              (nginx, round robin over the replicas)
  replicas (name, URL, PID, role, management port for /healthz /readyz /metrics):
$(replicas)
  status          curl -s $lb/status | jq .cluster          (role, leaseHolder, generation, source)
  upstream        http://127.0.0.1:$sim_port/_simulator/faults   (PUT {"fault": "ServerError"} to a feed)
  redis           redis-cli -p $redis_port get incident-service:lease
  logs            $CHECK_TMP/*.log

Try: kill -9 the leader's PID (role 'leader' above), or stop redis-server, and keep asking $lb/incidents;
the new leader's name: curl -s $lb/status | jq .cluster.leaseHolder
INFO
trap 'exit 0' INT TERM
while :; do sleep 3600; done
