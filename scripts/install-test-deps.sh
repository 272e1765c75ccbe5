#!/usr/bin/env bash
# Installs what the tests need beyond node_modules: Debian's Chromium for Playwright (Playwright's
# own browser download cannot work offline). Idempotent and quick when already installed.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium for the browser tests…"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
