#!/usr/bin/env bash
# `npm test`: every test, from a fresh clone. Installs what is missing (Debian's Chromium and
# PostgreSQL, npm packages, the gpu-service Python environment), starts a throwaway
# PostgreSQL, then runs lint, type checks, vitest (PGlite + PostgreSQL), Playwright against
# the built server, quick fault tests, and pytest for gpu-service.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n=== %s\n' "$*"; }

step "system packages"
bash scripts/install-system-deps.sh
step "npm packages"
bash scripts/ensure-node-modules.sh
if [ -f gpu-service/scripts/setup.sh ]; then
	step "gpu-service Python environment"
	bash gpu-service/scripts/setup.sh
fi

step "PostgreSQL for the tests"
# Stop it afterwards only if this run started it (a developer may have one running).
if ! bash scripts/pg-test-server.sh status >/dev/null 2>&1; then
	trap 'bash scripts/pg-test-server.sh stop' EXIT
fi
TEST_DATABASE_URL=$(bash scripts/pg-test-server.sh start)
export TEST_DATABASE_URL

step "lint and type check"
npx svelte-kit sync
npm run lint
npm run check

step "unit and integration tests (vitest, PGlite and PostgreSQL)"
npx vitest run

step "build"
npm run build

step "fault tests (app killed mid-answer, PostgreSQL restarted under load)"
node --import tsx bench/faults.ts --quick

step "browser tests (Playwright, Chromium)"
npx playwright test

if [ -d gpu-service/tests ]; then
	step "gpu-service tests (pytest)"
	gpu-service/.venv/bin/python -m pytest gpu-service/tests -q
fi
step "all tests passed"
