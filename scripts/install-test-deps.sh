#!/usr/bin/env bash
# Installs what the tests need beyond node_modules, from Debian (nothing here can be downloaded
# from elsewhere): Chromium for Playwright (Playwright's own browser download cannot work offline),
# and the JavaScript engine's toolchain and QuickJS source, so that the test that rebuilds
# js-engine/dist/wasmcompute-js.wasm and compares its bytes can run. Idempotent and quick when done.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
for pkg in clang lld wasi-libc libclang-rt-14-dev-wasm32; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing from Debian for the tests: ${missing[*]}…"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Without it the engine's reproducibility test fails, saying why; the rest of the run goes on.
bash scripts/fetch-quickjs-source.sh >/dev/null || echo "warning: QuickJS source not fetched: lib/javascript/js-engine-build.test.ts will fail" >&2
