#!/usr/bin/env bash
# Swagger UI checked in a real browser: Debian's Chromium, driven by playwright-core (checks/swagger-ui), loads
# /swagger/index.html, finds the operations, executes GET /incidents and reads the rendered response code: 401
# without credentials, 200 after an API key is entered through the Authorize button.
#
#   bash scripts/check-swagger-ui.sh        (from the repo root, as root; installs Debian's chromium if missing)
#
# Prints PASS/FAIL lines, ends every process it started, exits non-zero on any failure. The screenshot is kept in
# $SWAGGER_SCREENSHOT_DIR (default: a new /tmp/swagger-ui-screenshot.* directory).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
source scripts/check-lib.sh

need_browser_check checks/swagger-ui

# The service requires an API key; only its hash is configured, the key goes to the browser check.
api_key=$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')
api_key_hash=$(printf '%s' "$api_key" | sha256sum | cut -d ' ' -f 1)
export Auth__ApiKeys__swagger_check__Sha256=$api_key_hash Auth__ApiKeys__swagger_check__Scopes=incidents:read
start_ready_service
unset Auth__ApiKeys__swagger_check__Sha256 Auth__ApiKeys__swagger_check__Scopes

screenshots=${SWAGGER_SCREENSHOT_DIR:-$(mktemp -d /tmp/swagger-ui-screenshot.XXXXXX)}
mkdir -p "$screenshots"
run_browser_check 120 env SWAGGER_API_KEY="$api_key" node checks/swagger-ui/check.mjs "$base" "$screenshots"

[ "$CHECK_FAILURES" -eq 0 ]
