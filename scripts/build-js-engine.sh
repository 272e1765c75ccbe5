#!/usr/bin/env bash
# Builds the JavaScript engine (js-engine/engine.c + runtime.js on QuickJS) into
# js-engine/dist/wasmcompute-js.wasm, a WAGI module. The output is committed with QuickJS's
# LICENSE, its version and a sha256 file, so tests and CI need no toolchain; rerun this only
# after editing js-engine/ or moving to another QuickJS release.
#
# Toolchain (Debian): clang lld wasi-libc libclang-rt-14-dev-wasm32, node.
# QuickJS source: Debian trixie's `quickjs` source package (bookworm has none), fetched once by
# scripts/fetch-quickjs-source.sh into a cache folder; or point QUICKJS_SRC at an unpacked
# quickjs-2025.04.26 tree. JS_ENGINE_OUT writes the result elsewhere than js-engine/dist (the
# reproducibility test, lib/javascript/js-engine-build.test.ts, builds into a scratch folder).
#
# The build is reproducible: the same sources and toolchain give the same bytes (the scratch
# folder's random path is mapped away with -ffile-prefix-map; assert() strings carry __FILE__).
set -euo pipefail
cd "$(dirname "$0")/.."
QUICKJS_VERSION=2025-04-26
OUT=${JS_ENGINE_OUT:-js-engine/dist}
# clang runs wasm-opt after linking whenever one is on PATH, and npm puts binaryen's in
# node_modules/.bin: leave it off PATH so the bytes do not depend on how this script is started.
PATH=$(printf %s "$PATH" | tr : '\n' | grep -v node_modules/.bin | paste -sd: -)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

QUICKJS_SRC=${QUICKJS_SRC:-$(bash scripts/fetch-quickjs-source.sh)}
[ "$(cat "$QUICKJS_SRC/VERSION")" = "$QUICKJS_VERSION" ] || { echo "expected QuickJS $QUICKJS_VERSION in $QUICKJS_SRC" >&2; exit 1; }

# WASI has no threads (Atomics) and no usable stack-pointer check: treat it like Emscripten.
# Deep recursion then runs into the wasm stack's guard (--stack-first): a trap, not corruption.
mkdir -p "$WORK/src"
cp "$QUICKJS_SRC"/*.c "$QUICKJS_SRC"/*.h "$WORK/src/"
sed -i 's/defined(EMSCRIPTEN)/(defined(EMSCRIPTEN) || defined(__wasi__))/g' "$WORK/src/quickjs.c"
# Math.random's seed, set per request by engine.c (QuickJS seeds it from the clock once per context,
# which a snapshot would freeze).
printf '\nvoid wc_js_seed_random(JSContext *ctx, uint64_t seed) { ctx->random_state = seed ? seed : 1; }\n' >> "$WORK/src/quickjs.c"
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

CFLAGS=(--target=wasm32-wasi --sysroot=/usr -O2 -D_GNU_SOURCE -D_WASI_EMULATED_SIGNAL "-ffile-prefix-map=$WORK=/build"
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
echo "runtime.js as bytecode: $(wc -c < "$WORK/runtime.bc") bytes, sha256 $(sha256sum < "$WORK/runtime.bc" | cut -c1-16)"
c_array "$WORK/runtime.bc" RUNTIME_BC "$WORK/src/runtime-bc.h"

mkdir -p "$OUT"
clang "${CFLAGS[@]}" -o "$OUT/wasmcompute-js.wasm" js-engine/engine.c "${OBJS[@]}" "${LDFLAGS[@]}"

cp "$QUICKJS_SRC/LICENSE" "$OUT/QUICKJS-LICENSE"
echo "$QUICKJS_VERSION" > "$OUT/QUICKJS-VERSION"
(cd "$OUT" && sha256sum wasmcompute-js.wasm > wasmcompute-js.wasm.sha256)
ls -l "$OUT"
