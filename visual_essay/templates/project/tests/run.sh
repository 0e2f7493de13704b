#!/usr/bin/env bash
# Every test, on a fresh machine: a virtual environment (.venv, made if missing), Chromium, the
# project with its test extras (the engine from where requirements.txt says), Pyodide's verified
# files, then pytest with any arguments given.
set -euo pipefail
cd "$(dirname "$0")/.."
export NO_MKDOCS_2_WARNING=1
if [ -z "${VIRTUAL_ENV:-}" ]; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  source .venv/bin/activate
fi
if ! command -v chromium >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
python -m pip install --quiet --disable-pip-version-check -r requirements.txt -e ".[test]"
visual-essay pyodide
python -m pytest "$@"
