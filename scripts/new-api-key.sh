#!/usr/bin/env bash
# Prints a new random API key for a service account and the SHA-256 hash that the service is configured with.
# Give the key to the client; configure only the hash (the service never needs the key itself).
#
#   bash scripts/new-api-key.sh [NAME] [SCOPES]      (defaults: dashboard, incidents:read)
set -euo pipefail
name=${1:-dashboard}
scopes=${2:-incidents:read}
# 32 random bytes, URL-safe base64 without padding: 43 characters, safe in a header and a shell.
key=$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')
hash=$(printf '%s' "$key" | sha256sum | cut -d ' ' -f 1)
echo "key (give to the client, send as X-Api-Key): $key"
echo "sha256 (configure on the service):           $hash"
echo "environment: Auth__ApiKeys__${name}__Sha256=$hash Auth__ApiKeys__${name}__Scopes='$scopes'"
