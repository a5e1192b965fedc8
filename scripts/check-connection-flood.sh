#!/usr/bin/env bash
# A connection flood against the published service, on loopback only: the service runs in Production against the
# standalone simulator with its open-file limit at 4,096 (prlimit), and one client process opens FLOOD_CONNECTIONS
# (default 6,000) idle TCP connections to it and holds them a few seconds. The service must stay alive (connections
# beyond its limit are refused, not a crash), answer /healthz at once when the flood ends, and count the refused
# connections in kestrel_rejected_connections.
#
#   bash scripts/check-connection-flood.sh        (from the repo root; installs python3 and prlimit if missing)
#
# Prints PASS/FAIL lines, ends every process it started, exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
source scripts/check-lib.sh

NOFILE=4096
FLOOD_CONNECTIONS=${FLOOD_CONNECTIONS:-6000}
HOLD_SECONDS=3

need_jq
need_packages python3=python3 prlimit=util-linux curl=curl

echo "publishing the service (scripts/publish.sh) and the standalone simulator"
publish_service "$CHECK_TMP/app"
start_simulator

# As the container runs it (Production, configured by environment), under a 4,096 open-file limit. Anonymous on
# purpose: a flood is connections, not requests, and the probes it reads are open anyway.
port=$(free_port) || die "no free port"
base="http://127.0.0.1:$port"
start_bg service prlimit "--nofile=$NOFILE:$NOFILE" -- env -C "$CHECK_TMP/app" \
  -u ASPNETCORE_URLS ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_HTTP_PORTS= Urls="$base" \
  Upstream__BaseUrl="http://127.0.0.1:$sim_port/" Upstream__Username=elevate Upstream__Password=simulator \
  Auth__AllowAnonymous=true dotnet IncidentService.Api.dll
service_pid=$BG_PID
wait_http "$base/readyz" 200 90 "$service_pid" || die "/readyz did not become 200"
service_nofile=$(prlimit --pid "$service_pid" --nofile --noheadings --output SOFT 2>/dev/null | tr -d ' ')
pass "service ready at $base with an open-file limit of ${service_nofile:-?}"
# The console logger writes from a background queue: wait for the line rather than a fixed time.
for _ in $(seq 1 50); do grep -q '"EventId":11,' "$CHECK_TMP/service.log" && break; sleep 0.1; done
limit_line=$(grep '"EventId":11,' "$CHECK_TMP/service.log" | jq -r .Message 2>/dev/null)
check "the connection limit is logged once at startup (event 11): $limit_line" test "$(grep -c '"EventId":11,' "$CHECK_TMP/service.log")" -eq 1

# The client: one process, its own open-file limit raised, opening the connections as fast as it can (bounded by
# a deadline), holding them until told to let go (a file appears) or for at most 30 s, then closing them all.
cat >"$CHECK_TMP/flood.py" <<'EOF'
import os, resource, socket, sys, time
host, port, count, held_file, release_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
want = count + 256
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft < want:
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, max(hard, want)))
socks, failed, deadline = [], 0, time.monotonic() + 20
started = time.monotonic()
while len(socks) + failed < count and time.monotonic() < deadline:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(1)
    try:
        s.connect((host, port))
        socks.append(s)
    except OSError:
        failed += 1
        s.close()
opened = time.monotonic() - started
with open(held_file, "w") as f:
    f.write(f"{len(socks)} {failed} {opened:.1f}\n")
deadline = time.monotonic() + 30
while not os.path.exists(release_file) and time.monotonic() < deadline:
    time.sleep(0.05)
# Closed by the server meanwhile: refused past its limit (an empty read or a reset), as opposed to still held.
closed = 0
for s in socks:
    s.setblocking(False)
    try:
        if s.recv(1, socket.MSG_PEEK) == b"":
            closed += 1
    except BlockingIOError:
        pass
    except OSError:
        closed += 1
for s in socks:
    s.close()
print(f"connected {len(socks)} failed {failed} closed-by-server {closed} held-open {len(socks) - closed}", flush=True)
EOF

held="$CHECK_TMP/flood.held" release="$CHECK_TMP/flood.release"
echo "opening $FLOOD_CONNECTIONS idle connections to $base"
flood_started=$SECONDS
start_bg flood python3 "$CHECK_TMP/flood.py" 127.0.0.1 "$port" "$FLOOD_CONNECTIONS" "$held" "$release"
flood_pid=$BG_PID
for _ in $(seq 1 300); do [ -s "$held" ] || ! alive "$flood_pid" && break; sleep 0.1; done
[ -s "$held" ] || die "the client did not open its connections ($(cat "$CHECK_TMP/flood.log"))"
read -r connected failed opened_in <"$held"
check "the client connected $connected of $FLOOD_CONNECTIONS in ${opened_in} s ($failed failed)" test "$((connected + failed))" -eq "$FLOOD_CONNECTIONS"

# Flooded: the service holds what it can and refuses the rest; it must not die meanwhile.
for _ in $(seq 1 $((HOLD_SECONDS * 10))); do alive "$service_pid" || break; sleep 0.1; done
while_flooded=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/healthz"; echo " exit $?")
echo "  /healthz while flooded: $while_flooded (refused or queued is fine; a crash is not)"
check "the service is alive after holding the flood ${HOLD_SECONDS} s" alive "$service_pid"

touch "$release"
for _ in $(seq 1 300); do alive "$flood_pid" || break; sleep 0.1; done
check "the client closed its connections: $(tail -n 1 "$CHECK_TMP/flood.log")" bash -c "! kill -0 $flood_pid 2>/dev/null"
closed_by_server=$(sed -n 's/.* closed-by-server \([0-9]*\) .*/\1/p' "$CHECK_TMP/flood.log")
check "the service closed the connections beyond its limit (${closed_by_server:-none})" test "${closed_by_server:-0}" -gt 0

# The flood is over: /healthz must answer at once.
released_at=$(date +%s%N)
if wait_http "$base/healthz" 200 5 "$service_pid"; then
  pass "/healthz answered 200 $(( ($(date +%s%N) - released_at) / 1000000 )) ms after the flood ended"
else
  fail "/healthz did not answer 200 within 5 s of the flood ending"
fi
check "the service is still alive" alive "$service_pid"

curl -s --max-time 5 -o "$CHECK_TMP/metrics.txt" "$base/metrics"
rejected=$(awk '/^kestrel_rejected_connections(_total)?[{ ]/ { sum += $NF } END { printf "%d", sum }' "$CHECK_TMP/metrics.txt")
check "kestrel_rejected_connections counted the refused connections ($rejected)" test "${rejected:-0}" -gt 0
echo "  flood phase took $((SECONDS - flood_started)) s"

[ "$CHECK_FAILURES" -eq 0 ]
