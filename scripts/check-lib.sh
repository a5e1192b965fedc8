# shellcheck shell=bash
# Shared by the scripts/check-*.sh scripts (sourced, not run): ports, background processes, waiting, verdicts.
# Every process started with `start_bg` runs in its own process group and is ended by the EXIT trap.

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DEBIAN_FRONTEND=noninteractive

CHECK_NAME=$(basename "$0" .sh)
CHECK_FAILURES=0
CHECK_PIDS=()
CHECK_TMP=$(mktemp -d "/tmp/${CHECK_NAME}.XXXXXX")
CHECK_STARTED=$SECONDS

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; CHECK_FAILURES=$((CHECK_FAILURES + 1)); }
# check DESCRIPTION COMMAND...: PASS or FAIL by the command's exit code.
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
# die DESCRIPTION: a FAIL that makes the rest pointless; the EXIT trap still cleans up.
die() { fail "$*"; exit 1; }

# need_packages COMMAND=PACKAGE...: installs from Debian each package whose command is missing (a command may be a
# path), without letting a package start a system service: a check runs its own servers.
need_packages() {
  local pair missing=() policy_added="" apt_status
  for pair in "$@"; do command -v "${pair%%=*}" >/dev/null || missing+=("${pair#*=}"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]}"
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy_added=1
  fi
  { apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"; } >"$CHECK_TMP/apt.log" 2>&1
  apt_status=$?
  [ -z "$policy_added" ] || rm -f /usr/sbin/policy-rc.d
  [ "$apt_status" -eq 0 ] || { tail -n 20 "$CHECK_TMP/apt.log"; die "apt-get install ${missing[*]}"; }
}

need_jq() { need_packages jq=jq; }

# need_prometheus: Debian's prometheus (server and promtool) and jq.
need_prometheus() { need_packages promtool=prometheus /usr/bin/prometheus=prometheus jq=jq; }

# publish_release PROJECT NAME: PROJECT (a .csproj) published in Release, framework-dependent, into $CHECK_TMP/NAME;
# its output in $CHECK_TMP/publish-NAME.log, shown if it fails.
publish_release() {
  local project=$1 name=$2
  dotnet publish "$project" -c Release -o "$CHECK_TMP/$name" -p:UseAppHost=false --nologo --disable-build-servers \
    >"$CHECK_TMP/publish-$name.log" 2>&1 || { tail -n 30 "$CHECK_TMP/publish-$name.log"; die "publishing $project"; }
}

# start_simulator [CONTEXT [LATENCY_SCALE]]: the standalone simulator of CONTEXT (default: this repository), published
# in Release, on a free loopback port at LATENCY_SCALE (default 0.05); waits until it answers, sets sim_port and sim_pid.
start_simulator() {
  local context=${1:-.} scale=${2:-0.05}
  publish_release "$context/IncidentService.Simulator/IncidentService.Simulator.csproj" simulator
  sim_port=$(free_port) || die "no free port"
  start_bg simulator env -C "$CHECK_TMP/simulator" dotnet IncidentService.Simulator.dll \
    --urls "http://127.0.0.1:$sim_port" --Simulator:LatencyScale "$scale"
  sim_pid=$BG_PID
  wait_http "http://127.0.0.1:$sim_port/identities/" 401 60 "$sim_pid" || die "the simulator did not start"
}

# A loopback port nobody listens on (never the service's default 9000), below the ephemeral range: a port that a
# client's closed connection still holds in TIME_WAIT (thousands, after the flood check) cannot be listened on.
free_port() {
  local port ephemeral
  ephemeral=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  for _ in $(seq 1 100); do
    port=$((10000 + RANDOM % (ephemeral - 10000)))
    [ "$port" -eq 9000 ] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "no free port found" >&2
  return 1
}

# start_bg NAME COMMAND...: runs COMMAND in its own process group, output to $CHECK_TMP/NAME.log; sets BG_PID.
start_bg() {
  local name=$1; shift
  setsid "$@" >"$CHECK_TMP/$name.log" 2>&1 </dev/null &
  BG_PID=$!
  CHECK_PIDS+=("$BG_PID")
}

alive() { kill -0 "$1" 2>/dev/null; }

# stop_bg PID: SIGTERM to its process group, SIGKILL after 10 s; returns once it is gone.
stop_bg() {
  local pid=$1
  alive "$pid" || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
  if alive "$pid"; then kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null; fi
  wait "$pid" 2>/dev/null || true
}

check_cleanup() {
  local status=$?
  local pid
  for pid in "${CHECK_PIDS[@]}"; do stop_bg "$pid"; done
  if [ "$CHECK_FAILURES" -gt 0 ] || [ "$status" -ne 0 ]; then
    local log
    for log in "$CHECK_TMP"/*.log; do
      [ -f "$log" ] || continue
      echo "----- last lines of $log"
      tail -n 30 "$log"
    done
    echo "$CHECK_NAME: FAILED ($CHECK_FAILURES failed checks, $((SECONDS - CHECK_STARTED)) s; files kept in $CHECK_TMP)"
    [ "$status" -ne 0 ] || status=1
  else
    echo "$CHECK_NAME: all checks passed in $((SECONDS - CHECK_STARTED)) s"
    [ -n "${CHECK_KEEP:-}" ] || rm -rf "$CHECK_TMP"
  fi
  exit "$status"
}
trap check_cleanup EXIT
trap 'exit 130' INT TERM

# wait_http URL EXPECTED_STATUS TIMEOUT_SECONDS [PID]: polls until URL answers EXPECTED_STATUS; fails early if PID dies.
wait_http() {
  local url=$1 want=$2 timeout=$3 pid=${4:-} deadline=$((SECONDS + $3)) code
  while [ "$SECONDS" -lt "$deadline" ]; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)
    [ "$code" = "$want" ] && return 0
    if [ -n "$pid" ] && ! alive "$pid"; then echo "process $pid exited while waiting for $url" >&2; return 1; fi
    sleep 0.2
  done
  echo "$url did not answer $want within ${timeout}s (last: $code)" >&2
  return 1
}

# publish_service DIR: the service, as CI and the container build it (scripts/publish.sh), into DIR.
publish_service() {
  bash "$(dirname "${BASH_SOURCE[0]}")/publish.sh" "$1" >"$CHECK_TMP/publish.log" 2>&1 || { cat "$CHECK_TMP/publish.log"; die "scripts/publish.sh failed"; }
}

# start_service PORT [ARGS...]: the service published into $CHECK_TMP/app, in Development with the embedded
# simulator at small latency, on 127.0.0.1:PORT; sets SERVICE_PID.
start_service() {
  local port=$1; shift
  start_bg service env -C "$CHECK_TMP/app" ASPNETCORE_ENVIRONMENT=Development \
    dotnet IncidentService.Api.dll --urls "http://127.0.0.1:$port" --Simulator:LatencyScale 0.05 "$@"
  # shellcheck disable=SC2034 # read by the sourcing script
  SERVICE_PID=$BG_PID
}

# start_ready_service: publishes the service, starts it on a free port and waits for /readyz; sets port, base and
# SERVICE_PID for the sourcing script.
start_ready_service() {
  echo "publishing the service (scripts/publish.sh)"
  publish_service "$CHECK_TMP/app"
  port=$(free_port) || die "no free port"
  base="http://127.0.0.1:$port"
  start_service "$port"
  wait_http "$base/readyz" 200 120 "$SERVICE_PID" || die "/readyz did not become 200"
  pass "service ready at $base"
}

# run_browser_check LIMIT COMMAND...: a node browser check in its own process group (so that Chromium goes too if it
# has to be stopped), for at most LIMIT seconds; prints its log and counts its FAIL lines as this check's failures.
run_browser_check() {
  local limit=$1 deadline browser_pid browser_status
  shift
  start_bg browser "$@"
  browser_pid=$BG_PID
  deadline=$((SECONDS + limit))
  while alive "$browser_pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  if alive "$browser_pid"; then
    stop_bg "$browser_pid"
    cat "$CHECK_TMP/browser.log"
    die "the browser check did not finish within $limit s"
  fi
  wait "$browser_pid"
  browser_status=$?
  cat "$CHECK_TMP/browser.log"
  CHECK_FAILURES=$((CHECK_FAILURES + $(grep -c '^FAIL:' "$CHECK_TMP/browser.log")))
  [ "$browser_status" -eq 0 ] || [ "$CHECK_FAILURES" -gt 0 ] || fail "the browser check exited $browser_status"
}

# need_browser_check DIR: Debian's Chromium (installed if missing), node and npm, and DIR's npm packages
# (playwright-core and what else DIR's lock file names; never a browser download).
need_browser_check() {
  local dir=$1
  { command -v node && command -v npm; } >/dev/null || die "node and npm (Node.js 20 or later) are needed"
  if [ ! -x /usr/bin/chromium ]; then
    echo "installing Debian's chromium"
    { apt-get update && apt-get install -y --no-install-recommends chromium fonts-liberation; } >"$CHECK_TMP/apt.log" 2>&1 \
      || { tail -n 20 "$CHECK_TMP/apt.log"; die "apt-get install chromium"; }
  fi
  echo "installing $dir (npm ci, no browser download)"
  ( cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error ) \
    >"$CHECK_TMP/npm.log" 2>&1 || { cat "$CHECK_TMP/npm.log"; die "npm ci in $dir"; }
}
