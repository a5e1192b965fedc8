#!/usr/bin/env bash
# The README's example commands, run as written against the service started as the README starts it (Development,
# the embedded simulator): every `curl … localhost:9000…` command of the README — in tables and in code blocks —
# that needs no credential of the reader's own, with localhost:9000 pointed at a free port and curl made to fail on
# an HTTP error, must succeed and print something (the change stream: its first event before the time limit). Also
# the README's shape: at most 250 lines, the two commands, its sections, and each docs/ page linked once.
#
#   bash scripts/check-readme-examples.sh        (from the repo root; installs jq from Debian if missing)
#
# Prints PASS/FAIL lines, ends every process it started, exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
source scripts/check-lib.sh
need_jq

# Table cells (`curl …`) and code lines starting with curl; not those that need the reader's token or key.
mapfile -t examples < <(
  { grep -o '`curl [^`]*localhost:9000[^`]*`' README.md | tr -d '`'
    grep -E '^curl .*localhost:9000' README.md; } \
    | grep -v -E '\$TOKEN|<key|X-Api-Key|Authorization|…' | awk '!seen[$0]++'
)
check "the README has curl examples (${#examples[@]})" test "${#examples[@]}" -ge 10

# The README a newcomer reads in five minutes: short, the two commands, the three sections the challenge asks for,
# and each docs/ page it moved there linked once.
check "README.md is at most 250 lines ($(wc -l <README.md))" test "$(wc -l <README.md)" -le 250
check "README.md gives the run command" grep -qx 'dotnet run --project IncidentService.Api' README.md
check "README.md gives the test command" grep -qE '^dotnet test IncidentService\.sln( |$)' README.md
for section in 'Contents' 'Endpoints' 'Approach' 'Alternatives considered' 'Production'; do
  check "README.md has a '$section' section" grep -qx "## $section" README.md
done
for page in configuration access cluster degraded-states perf testing; do
  check "README.md links docs/$page.md once" test "$(grep -oE "\(docs/$page\.md[)#]" README.md | wc -l)" -eq 1
  check "docs/$page.md exists" test -s "docs/$page.md"
done

start_ready_service

# curl as the examples call it, but failing on an HTTP error status and bounded in time.
curl() { command curl --fail --silent --show-error --max-time 20 "$@"; }
export -f curl
n=0
for example in "${examples[@]}"; do
  n=$((n + 1))
  command=${example//localhost:9000/127.0.0.1:$port}
  if [[ $example == *incidents/changes* ]]; then
    # A stream never ends by itself: it passes when its first event arrives within curl's time limit.
    bash -c "$command" >"$CHECK_TMP/example-$n.out" 2>"$CHECK_TMP/example-$n.err"
    if grep -q '^event: snapshot' "$CHECK_TMP/example-$n.out"; then
      pass "$example (first event: $(grep -m 1 '^id:' "$CHECK_TMP/example-$n.out"))"
    else
      fail "$example: no 'event: snapshot' within the time limit: $(head -c 300 "$CHECK_TMP/example-$n.err")"
    fi
  elif bash -c "set -o pipefail; $command" >"$CHECK_TMP/example-$n.out" 2>"$CHECK_TMP/example-$n.err" && [ -s "$CHECK_TMP/example-$n.out" ]; then
    pass "$example ($(wc -c <"$CHECK_TMP/example-$n.out") bytes)"
  else
    fail "$example: $(head -c 300 "$CHECK_TMP/example-$n.err")"
  fi
done

[ "$CHECK_FAILURES" -eq 0 ]
