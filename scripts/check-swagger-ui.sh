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

{ command -v node && command -v npm; } >/dev/null || die "node and npm (Node.js 20 or later) are needed"
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium"
  { apt-get update && apt-get install -y --no-install-recommends chromium fonts-liberation; } >"$CHECK_TMP/apt.log" 2>&1 \
    || { tail -n 20 "$CHECK_TMP/apt.log"; die "apt-get install chromium"; }
fi

echo "installing checks/swagger-ui (npm ci: playwright-core only, no browser download)"
( cd checks/swagger-ui && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error ) \
  >"$CHECK_TMP/npm.log" 2>&1 || { cat "$CHECK_TMP/npm.log"; die "npm ci in checks/swagger-ui"; }

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
