#!/usr/bin/env bash
# The server the browser tests run against: the built app (`node server.js`) on a fresh
# embedded database with the demo data and a known admin.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATA_DIR=${E2E_DATA_DIR:-/tmp/sid-studio-e2e}
rm -rf "$DATA_DIR"
export ADMIN_EMAIL=e2e-admin@example.org ADMIN_PASSWORD=e2e-admin-password-1
export BODY_SIZE_LIMIT=110M
# Every test participant comes from 127.0.0.1: lift the per-address consent limit.
export CONSENT_STARTS_PER_MINUTE=${CONSENT_STARTS_PER_MINUTE:-100000}
node --import tsx scripts/demo-seed.ts >/dev/null
export ORIGIN=${ORIGIN:-http://localhost:${PORT}}
exec node server.js
