#!/usr/bin/env bash
# Create .venv, install the Python package (with extras given as $1, e.g. "test") and the front-end
# libraries from the npm registry. Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  echo "==> installing Debian packages: $*"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv --help >/dev/null 2>&1 || ! "$PY" -c 'import ensurepip' >/dev/null 2>&1; then
    apt_install python3-venv
  fi
  echo "==> creating .venv"
  "$PY" -m venv .venv
fi
command -v npm >/dev/null 2>&1 || apt_install npm

spec="."
[ -n "$extras" ] && spec=".[$extras]"
stamp=".venv/.installed-$(cat setup.cfg | sha1sum | cut -c1-12)-${extras:-base}"
if [ ! -f "$stamp" ]; then
  echo "==> installing Python dependencies (setup.cfg${extras:+, extras: $extras})"
  .venv/bin/pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/pip install -q --disable-pip-version-check -e "$spec"
  touch "$stamp"
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> installing front-end libraries from the npm registry"
  npm ci --no-audit --no-fund --silent
fi
