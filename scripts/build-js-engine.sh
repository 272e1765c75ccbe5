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

# Generated headers: a file's bytes as a C array.
c_array() { # <file> <name> <out.h>
  node -e '
const fs = require("fs");
const [file, name, out] = process.argv.slice(1);
const data = fs.readFileSync(file);
const bytes = [...data, 0].join(",").replace(/(.{1,100}),/g, "$1,\n");
fs.writeFileSync(out, `static const unsigned char ${name}[] = {\n${bytes}\n};\nstatic const size_t ${name}_LEN = ${data.length};\n`);
' "$1" "$2" "$3"
}
c_array js-engine/runtime.js RUNTIME_JS "$WORK/src/runtime-js.h"
sed -i 's/static const unsigned char RUNTIME_JS/static const char RUNTIME_JS/' "$WORK/src/runtime-js.h"

CFLAGS=(--target=wasm32-wasi --sysroot=/usr -O2 -D_GNU_SOURCE -D_WASI_EMULATED_SIGNAL
  -D_WASI_EMULATED_PROCESS_CLOCKS "-DCONFIG_VERSION=\"$QUICKJS_VERSION\"" -w -I "$WORK/src")
LDFLAGS=(-lwasi-emulated-signal -lwasi-emulated-process-clocks -lwasi-emulated-getpid
  -Wl,-z,stack-size=1048576 -Wl,--stack-first -Wl,--strip-all)
OBJS=()
for c in quickjs libregexp libunicode cutils dtoa; do
  clang "${CFLAGS[@]}" -c "$WORK/src/$c.c" -o "$WORK/$c.o"
  OBJS+=("$WORK/$c.o")
done

# Stage 1: a tool that prints runtime.js as bytecode of this very QuickJS build, run on our own
# WASI host (lib/wasm); stage 2: the engine with that bytecode compiled in.
clang "${CFLAGS[@]}" -DWC_DUMP_RUNTIME -o "$WORK/dump-runtime.wasm" js-engine/engine.c "${OBJS[@]}" "${LDFLAGS[@]}"
npx --no-install tsx scripts/run-wasi-command.ts "$WORK/dump-runtime.wasm" > "$WORK/runtime.bc"
c_array "$WORK/runtime.bc" RUNTIME_BC "$WORK/src/runtime-bc.h"

mkdir -p "$OUT"
clang "${CFLAGS[@]}" -o "$OUT/wasmcompute-js.wasm" js-engine/engine.c "${OBJS[@]}" "${LDFLAGS[@]}"

cp "$QUICKJS_SRC/LICENSE" "$OUT/QUICKJS-LICENSE"
echo "$QUICKJS_VERSION" > "$OUT/QUICKJS-VERSION"
(cd "$OUT" && sha256sum wasmcompute-js.wasm > wasmcompute-js.wasm.sha256)
ls -l "$OUT"
