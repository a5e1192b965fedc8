# shellcheck shell=bash
# Shared by scripts/load.sh and scripts/load-auth.sh (sourced, not run): reads a `hey` report.

# hey_summary REPORT: sets rps, p50, p99, max (seconds), total (answers), errors (no answer) and bad (not 200 or none).
hey_summary() {
  local report=$1 ok
  rps=$(awk '/Requests\/sec:/ {print $2}' "$report")
  p50=$(awk '/ 50% in / {print $3}' "$report")
  p99=$(awk '/ 99% in / {print $3}' "$report")
  max=$(awk '/Slowest:/ {print $2}' "$report")
  ok=$(awk '/\[200\]/ {print $2}' "$report")
  total=$(awk '/\[[0-9]+\]/ {n += $2} END {print n + 0}' "$report")
  errors=$(awk '/Error distribution:/ {e = 1; next} e && /\[[0-9]+\]/ {n += substr($1, 2, length($1) - 2)} END {print n + 0}' "$report")
  bad=$(( total - ${ok:-0} + errors ))
}
