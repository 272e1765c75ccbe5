#!/usr/bin/env bash
# `npm test`: everything, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

bash scripts/install-test-deps.sh
[ -d node_modules ] || npm ci --no-audit --no-fund

echo "== migrations match the schema"
npx tsx scripts/create-migration.ts --check

echo "== type check"
npx tsc --noEmit -p .

echo "== production build (the integration tests start the platform from it)"
npx next build

echo "== unit and integration tests (vitest: embedded database and PostgreSQL at ${TEST_POSTGRES_URL:-127.0.0.1:5432})"
npx vitest run

echo "== lib/wasm in the browser: the same conformance and core cases in chromium"
npx playwright test -c playwright.wasm.config.ts

echo "== end-to-end console stories (Playwright, Debian chromium)"
npx playwright test
