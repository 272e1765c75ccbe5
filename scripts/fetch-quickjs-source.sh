#!/usr/bin/env bash
# Prints the path of an unpacked QuickJS 2025-04-26 source tree, fetching it first if it is not in
# the cache: Debian trixie's `quickjs` source package (bookworm has none), through a temporary
# deb-src entry that is removed again (needs root or sudo). Used by scripts/build-js-engine.sh.
set -euo pipefail
VERSION=2025.04.26
CACHE=${WASMCOMPUTE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wasmcompute}
DIR="$CACHE/quickjs-$VERSION"
if [ ! -f "$DIR/VERSION" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  SOURCES=/etc/apt/sources.list.d/wasmcompute-trixie-src.sources
  SCRATCH=$(mktemp -d)
  trap '$SUDO rm -f "$SOURCES"; rm -rf "$SCRATCH"' EXIT
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' | $SUDO tee "$SOURCES" >/dev/null
  $SUDO apt-get update -qq >&2
  (cd "$SCRATCH" && apt-get source -qq --download-only "quickjs=$VERSION-1" >&2 && dpkg-source -x --no-check ./*.dsc "quickjs-$VERSION" >&2)
  $SUDO rm -f "$SOURCES"
  $SUDO apt-get update -qq >&2
  mkdir -p "$CACHE"
  rm -rf "$DIR"
  mv "$SCRATCH/quickjs-$VERSION" "$DIR"
fi
echo "$DIR"
