#!/usr/bin/env bash
# One command from a fresh clone to a running app with demo data on the embedded database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-modules.sh
# Rebuild only when a source is newer than the last build.
if [ ! -f build/index.js ] || [ -n "$(find src static svelte.config.js vite.config.ts package-lock.json -newer build/index.js -print -quit)" ]; then
	npm run build
fi
export DATA_DIR=${DATA_DIR:-./data/demo}
export PORT=${PORT:-3000}
# Only this machine can reach the demo unless HOST says otherwise (HOST=0.0.0.0 to share it).
export HOST=${HOST:-127.0.0.1}
export BODY_SIZE_LIMIT=${BODY_SIZE_LIMIT:-110M}
node --import tsx scripts/demo-seed.ts
echo "SID Studio is starting on ${ORIGIN:-http://localhost:${PORT}}"
export ORIGIN=${ORIGIN:-http://localhost:${PORT}}
exec node server.js
