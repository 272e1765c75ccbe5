#!/usr/bin/env bash
# Builds the JavaScript engine (js-engine/engine.c + runtime.js on QuickJS) into
# js-engine/dist/wasmcompute-js.wasm, a WAGI module. The output is committed with QuickJS's
# LICENSE, its version and a sha256 file, so tests and CI need no toolchain; rerun this only
# after editing js-engine/ or moving to another QuickJS release.
#
# Toolchain (Debian): clang lld wasi-libc libclang-rt-14-dev-wasm32, node.
# QuickJS source: Debian trixie's `quickjs` source package (bookworm has none). Without
# QUICKJS_SRC, this adds a temporary deb-src entry for trixie, runs `apt-get source quickjs`
# into a scratch folder and removes the entry again (needs root). Or point QUICKJS_SRC at an
# unpacked quickjs-2025.04.26 tree.
set -euo pipefail
cd "$(dirname "$0")/.."
QUICKJS_VERSION=2025-04-26
OUT=js-engine/dist
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [ -z "${QUICKJS_SRC:-}" ]; then
  SOURCES=/etc/apt/sources.list.d/wasmcompute-trixie-src.sources
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' > "$SOURCES"
  trap 'rm -f "$SOURCES"; rm -rf "$WORK"' EXIT
  apt-get update -qq
  (cd "$WORK" && apt-get source -qq "quickjs=${QUICKJS_VERSION//-/.}-1")
  rm -f "$SOURCES"
  apt-get update -qq
  QUICKJS_SRC="$WORK/quickjs-${QUICKJS_VERSION//-/.}"
fi
[ "$(cat "$QUICKJS_SRC/VERSION")" = "$QUICKJS_VERSION" ] || { echo "expected QuickJS $QUICKJS_VERSION in $QUICKJS_SRC" >&2; exit 1; }

# WASI has no threads (Atomics) and no usable stack-pointer check: treat it like Emscripten.
# Deep recursion then runs into the wasm stack's guard (--stack-first): a trap, not corruption.
mkdir -p "$WORK/src"
cp "$QUICKJS_SRC"/*.c "$QUICKJS_SRC"/*.h "$WORK/src/"
sed -i 's/defined(EMSCRIPTEN)/(defined(EMSCRIPTEN) || defined(__wasi__))/g' "$WORK/src/quickjs.c"
# dtoa.c includes <setjmp.h> without using it; wasi-libc has none.
sed -i "/#include <setjmp.h>/d" "$WORK/src/dtoa.c"

# runtime.js goes into the module as a C string.
node -e '
const fs = require("fs");
const js = fs.readFileSync(process.argv[1]);
const bytes = [...js, 0].join(",").replace(/(.{1,100}),/g, "$1,\n");
fs.writeFileSync(process.argv[2], `static const char RUNTIME_JS[] = {\n${bytes}\n};\nstatic const size_t RUNTIME_JS_LEN = ${js.length};\n`);
' js-engine/runtime.js "$WORK/src/runtime-js.h"

mkdir -p "$OUT"
clang --target=wasm32-wasi --sysroot=/usr -O2 -D_GNU_SOURCE -D_WASI_EMULATED_SIGNAL \
  -D_WASI_EMULATED_PROCESS_CLOCKS -DCONFIG_VERSION="\"$QUICKJS_VERSION\"" -w \
  -I "$WORK/src" \
  -o "$OUT/wasmcompute-js.wasm" \
  js-engine/engine.c "$WORK/src/quickjs.c" "$WORK/src/libregexp.c" "$WORK/src/libunicode.c" \
  "$WORK/src/cutils.c" "$WORK/src/dtoa.c" \
  -lwasi-emulated-signal -lwasi-emulated-process-clocks -lwasi-emulated-getpid \
  -Wl,-z,stack-size=1048576 -Wl,--stack-first -Wl,--strip-all

cp "$QUICKJS_SRC/LICENSE" "$OUT/QUICKJS-LICENSE"
echo "$QUICKJS_VERSION" > "$OUT/QUICKJS-VERSION"
(cd "$OUT" && sha256sum wasmcompute-js.wasm > wasmcompute-js.wasm.sha256)
ls -l "$OUT"
