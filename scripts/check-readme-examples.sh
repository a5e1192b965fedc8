#!/usr/bin/env bash
# The README's example commands, run as written against the service started as the README starts it (Development,
# the embedded simulator): every `curl … localhost:9000…` command of the README — in tables and in code blocks —
# that needs no credential of the reader's own, with localhost:9000 pointed at a free port and curl made to fail on
# an HTTP error, must succeed and print something.
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

start_ready_service

# curl as the examples call it, but failing on an HTTP error status and bounded in time.
curl() { command curl --fail --silent --show-error --max-time 20 "$@"; }
export -f curl
n=0
for example in "${examples[@]}"; do
  n=$((n + 1))
  command=${example//localhost:9000/127.0.0.1:$port}
  if bash -c "set -o pipefail; $command" >"$CHECK_TMP/example-$n.out" 2>"$CHECK_TMP/example-$n.err" && [ -s "$CHECK_TMP/example-$n.out" ]; then
    pass "$example ($(wc -c <"$CHECK_TMP/example-$n.out") bytes)"
  else
    fail "$example: $(head -c 300 "$CHECK_TMP/example-$n.err")"
  fi
done

[ "$CHECK_FAILURES" -eq 0 ]
