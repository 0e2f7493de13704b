#!/usr/bin/env bash
# Every test, on a fresh machine: makes (or reuses) a virtual environment, installs Chromium, the
# project with the extras its tests use at the essay's locked versions (requirements/lock.txt) and
# Pyodide's verified files (each step is quick when already done), then runs pytest with any
# arguments given. The lowest supported versions are tested too, by tests/engine/test_supported_versions.py
# (on the system's python3, in a virtual environment of their own).
set -euo pipefail
cd "$(dirname "$0")/.."
export NO_MKDOCS_2_WARNING=1

# Debian's and Ubuntu's Python refuse `pip install` outside a virtual environment (PEP 668).
if [ -z "${VIRTUAL_ENV:-}" ]; then
  if [ ! -x .venv/bin/python ]; then
    echo "== making a virtual environment in .venv"
    python3 -m venv .venv
  fi
  source .venv/bin/activate
fi
if ! command -v chromium >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  echo "== installing Debian's chromium (Playwright's own browser download is not used)"
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
bash tests/install_browsers.sh  # Firefox ESR, WebKitGTK, Xvfb: the engines of tests/engine/browser/engines
echo "== installing the project and its test extras (locked versions) into $VIRTUAL_ENV"
python -m pip install --quiet --disable-pip-version-check -c requirements/lock.txt -e ".[dev]"
echo "== Pyodide files for offline mode"
python build_assets.py pyodide
echo "== tests"
python -m pytest "$@"
