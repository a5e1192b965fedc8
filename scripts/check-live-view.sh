#!/usr/bin/env bash
# The live view (/) checked in a real browser: Debian's Chromium, driven by playwright-core with axe-core
# (checks/live-view), against two services published as CI builds them: one behind an API key with a 2 s refresh
# interval (the key prompt, ranking, timeline, a new incident and a stale feed arriving live, the disconnection
# when it stops), and one open with the embedded simulator scaled to ~50,000 employees.
#
#   bash scripts/check-live-view.sh        (from the repo root, as root; installs Debian's chromium if missing)
#
# Prints PASS/FAIL lines and MEASURE lines (first render at ~1.7 k and ~50 k employees, event delay; reported, not
# judged), ends every process it started, exits non-zero on any failure. The screenshot goes to
# $LIVE_VIEW_SCREENSHOT (default: a new /tmp/live-view-screenshot.* directory).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
source scripts/check-lib.sh

need_browser_check checks/live-view

echo "publishing the service (scripts/publish.sh)"
publish_service "$CHECK_TMP/app"

# The guarded service: only the key's hash is configured; the key goes to the browser check. A 2 s refresh (with
# upstream timeouts to match) so that a change reaches the page within seconds; ~1,700 employees with an incident,
# the most the real upstream has had. The rate limit is raised for the check's 10 ms polls that time the install.
api_key=$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')
api_key_hash=$(printf '%s' "$api_key" | sha256sum | cut -d ' ' -f 1)
port=$(free_port) || die "no free port"
base="http://127.0.0.1:$port"
start_service "$port" --Auth:ApiKeys:live_check:Sha256 "$api_key_hash" --Auth:ApiKeys:live_check:Scopes incidents:read \
  --Refresh:Interval 00:00:02 --Upstream:AttemptTimeout 00:00:01 --Upstream:TotalTimeout 00:00:01.500 \
  --Simulator:Employees 2000 --Simulator:IncidentsPerFeed 550 --RateLimit:PermitsPerSecond 1000 --RateLimit:Burst 1000
wait_http "$base/readyz" 200 120 "$SERVICE_PID" || die "/readyz did not become 200"
pass "guarded service ready at $base"

# The large one: ~50,000 employees with an incident (52,000 ids, ~210,000 incidents), open.
large_port=$(free_port) || die "no free port"
large="http://127.0.0.1:$large_port"
start_bg large env -C "$CHECK_TMP/app" ASPNETCORE_ENVIRONMENT=Development dotnet IncidentService.Api.dll \
  --urls "$large" --Simulator:LatencyScale 0.05 --Simulator:Employees 52000 --Simulator:Identities 104000 --Simulator:IncidentsPerFeed 30000
large_pid=$BG_PID
wait_http "$large/readyz" 200 180 "$large_pid" || die "the large service's /readyz did not become 200"
pass "large service ready at $large"

screenshot=${LIVE_VIEW_SCREENSHOT:-$(mktemp -d /tmp/live-view-screenshot.XXXXXX)/live-view.png}
mkdir -p "$(dirname "$screenshot")"
run_browser_check 300 env LIVE_API_KEY="$api_key" SERVICE_PID="$SERVICE_PID" node checks/live-view/check.mjs "$base" "$large" "$screenshot"

[ "$CHECK_FAILURES" -eq 0 ]
