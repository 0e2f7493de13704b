#!/usr/bin/env bash
# Every test, on a fresh machine: installs Chromium, the test tools and Pyodide's verified files
# first (each step is skipped when already done), then runs pytest with any arguments given.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  echo "== installing Debian's chromium (Playwright's own browser download is not used)"
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
echo "== installing the project and its test extras"
python -m pip install --quiet --disable-pip-version-check -e ".[test]"
echo "== Pyodide files for offline mode"
python build_assets.py pyodide
echo "== tests"
export NO_MKDOCS_2_WARNING=1
python -m pytest "$@"
