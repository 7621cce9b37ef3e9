#!/usr/bin/env bash
# Installs, when missing, what the tests need from Debian: Chromium (browser tests, driven by
# playwright-core), a CJK font (Chinese text in screenshots and generated receipts) and the
# PostgreSQL server binaries (the store tests start a throw-away cluster from them: test/support/postgres.ts;
# the package's own cluster is not needed and is left stopped).
# Idempotent and quiet when everything is present. Needs root (CI and this workplace run as root).
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi 'wenquanyi\|wqy' || missing+=(fonts-wqy-microhei)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "ensure-system-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && SUDO="sudo" || { echo "ensure-system-deps: need root to apt-get install ${missing[*]}" >&2; exit 1; }
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >/dev/null
fc-cache -f >/dev/null 2>&1 || true
command -v chromium >/dev/null 2>&1 || { echo "ensure-system-deps: chromium still missing" >&2; exit 1; }
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "ensure-system-deps: postgresql still missing" >&2; exit 1; }
echo "ensure-system-deps: done"
