#!/usr/bin/env bash
# Builds fixtures/<lang>/* into fixtures/wasm/*.wasm. The outputs are committed so that
# tests need no toolchain; rerun this only after editing a fixture source.
# Toolchains (Debian): clang lld wasi-libc libclang-rt-14-dev-wasm32 wabt rustc
# libstd-rust-dev-wasm32; AssemblyScript comes from node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=fixtures
OUT=fixtures/wasm
mkdir -p "$OUT"

# A rustup rustc earlier on PATH has no wasm32-wasi target: use Debian's by full path.
RUSTC=${RUSTC:-/usr/bin/rustc}
WAT2WASM=${WAT2WASM:-$(command -v wat2wasm || echo "npx --no-install wat2wasm")}

for f in "$SRC"/wat/*.wat; do
  name=$(basename "$f" .wat)
  out="$OUT/$name.wasm"
  [ "$name" = hello ] && out="$OUT/hello-wat.wasm"
  $WAT2WASM "$f" -o "$out"
done

# Generated WAT: 10,000 imports and 10,000 exports (too big to commit as text).
gen=$(mktemp --suffix=.wat)
node "$SRC"/gen/many-exports.mjs > "$gen"
$WAT2WASM "$gen" -o "$OUT/many-exports.wasm"
rm -f "$gen"

for f in "$SRC"/c/*.c; do
  name=$(basename "$f" .c)
  out="$OUT/$name.wasm"
  [ "$name" = hello ] && out="$OUT/hello-c.wasm"
  clang --target=wasm32-wasi --sysroot=/usr -O2 -s -o "$out" "$f"
done

for f in "$SRC"/rust/*.rs; do
  name=$(basename "$f" .rs)
  out="$OUT/$name.wasm"
  [ "$name" = hello ] && out="$OUT/hello-rust.wasm"
  "$RUSTC" --target wasm32-wasi -O -C strip=symbols -C panic=abort -o "$out" "$f"
done

for f in "$SRC"/as/*.ts; do
  name=$(basename "$f" .ts)
  out="$OUT/$name.wasm"
  [ "$name" = hello ] && out="$OUT/hello-as.wasm"
  npx --no-install asc "$f" --config node_modules/@assemblyscript/wasi-shim/asconfig.json \
    -O3 --noAssert -o "$out"
done

# The guest SDKs' examples (sdk/): one kv counter app each in C, Rust and AssemblyScript.
clang --target=wasm32-wasi --sysroot=/usr -O2 -s -I sdk/c -o "$OUT/kv-counter-c-sdk.wasm" sdk/c/examples/kv-counter.c
"$RUSTC" --target wasm32-wasi -O -C strip=symbols -C panic=abort -o "$OUT/kv-counter-rust.wasm" sdk/rust/examples/kv-counter.rs
# asc finds the package "wasmcompute" as <path>/wasmcompute/index.ts.
AS_PKGS=$(mktemp -d)
ln -s "$PWD/sdk/assemblyscript" "$AS_PKGS/wasmcompute"
npx --no-install asc sdk/assemblyscript/examples/kv-counter.ts --path "$AS_PKGS" \
  --config node_modules/@assemblyscript/wasi-shim/asconfig.json -O3 --noAssert -o "$OUT/kv-counter-as.wasm"
# Outbound HTTP through the SDKs (lib/outbound/outbound-http.test.ts).
clang --target=wasm32-wasi --sysroot=/usr -O2 -s -I sdk/c -o "$OUT/http-get-c-sdk.wasm" sdk/c/examples/http-get.c
npx --no-install asc sdk/assemblyscript/examples/http-get.ts --path "$AS_PKGS" \
  --config node_modules/@assemblyscript/wasi-shim/asconfig.json -O3 --noAssert -o "$OUT/http-get-as.wasm"
rm -rf "$AS_PKGS"

chmod 644 "$OUT"/*.wasm
ls -l "$OUT"

# WASI preview 2 components (wasi:http/proxy), hand-written WAT: outputs beside their sources in
# fixtures/component/ (not in $OUT, whose every file is a core module). Needs only node_modules.
node scripts/build-component-fixtures.mjs
