#!/usr/bin/env bash
# The committed OpenAPI document (docs/openapi.json) checked by a real generator: openapi-typescript turns it into
# types, tsc --strict compiles a client (checks/openapi-client/client.ts, openapi-fetch) that uses what is always
# present without null checks, and the client runs against a live service behind an API key. A copy of the document
# without the four priorities marked required must not compile: the compile step can fail.
#
#   bash scripts/check-openapi-client.sh        (from the repo root; needs node and npm, Node.js 20 or later)
#
# Prints PASS/FAIL lines, ends every process it started, exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
source scripts/check-lib.sh

{ command -v node && command -v npm; } >/dev/null || die "node and npm (Node.js 20 or later) are needed"
need_jq
client=checks/openapi-client

echo "installing $client (npm ci: openapi-typescript, openapi-fetch, typescript)"
( cd "$client" && npm ci --no-audit --no-fund --loglevel=error ) >"$CHECK_TMP/npm.log" 2>&1 || { cat "$CHECK_TMP/npm.log"; die "npm ci in $client"; }

# generate DOCUMENT: the client's types from DOCUMENT; then compile. Output in $CHECK_TMP/NAME.log.
compile() {
  local document=$1 name=$2
  ( cd "$client" && rm -rf generated dist \
    && npx --no-install openapi-typescript "$document" --output generated/api.ts \
    && npx --no-install tsc --project tsconfig.json ) >"$CHECK_TMP/$name.log" 2>&1
}

jq 'del(.components.schemas.EmployeeIncidents.required)' docs/openapi.json >"$CHECK_TMP/optional-priorities.json"
if compile "$CHECK_TMP/optional-priorities.json" optional-priorities; then
  fail "tsc --strict accepted the client against a document whose priorities are optional"
else
  pass "tsc --strict refuses the client when the priorities are optional ($(grep -c 'error TS' "$CHECK_TMP/optional-priorities.log") errors)"
fi
if compile "$PWD/docs/openapi.json" generate; then
  pass "openapi-typescript generates from docs/openapi.json and tsc --strict compiles the client"
else
  cat "$CHECK_TMP/generate.log"; die "generating or compiling the client from docs/openapi.json"
fi

# The live service, behind an API key (the scheme docs/openapi.json documents).
key=$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')
export Auth__ApiKeys__openapi_client__Sha256=$(printf '%s' "$key" | sha256sum | cut -d ' ' -f 1) Auth__ApiKeys__openapi_client__Scopes=incidents:read
start_ready_service
unset Auth__ApiKeys__openapi_client__Sha256 Auth__ApiKeys__openapi_client__Scopes

node "$client/dist/client.js" "$base" "$key" >"$CHECK_TMP/client.log" 2>&1
client_status=$?
cat "$CHECK_TMP/client.log"
CHECK_FAILURES=$((CHECK_FAILURES + $(grep -c '^FAIL:' "$CHECK_TMP/client.log")))
[ "$client_status" -eq 0 ] || { [ "$CHECK_FAILURES" -gt 0 ] || fail "the client exited $client_status"; }

[ "$CHECK_FAILURES" -eq 0 ]
