#!/usr/bin/env bash
# The three engines the reader tests run in (tests/browser/engines/), from Debian's packages, with
# no browser download: Chromium; Firefox ESR (driven through its built-in WebDriver BiDi, so no
# geckodriver); WebKitGTK's WebKitWebDriver with its MiniBrowser, and Xvfb for MiniBrowser's window.
# The drivers' Python clients (Playwright, Selenium, websockets) are the project's test extras.
# Quick when everything is installed already.
set -euo pipefail

missing=()
have() { command -v "$1" >/dev/null 2>&1; }
have chromium || have google-chrome || missing+=(chromium)
have firefox-esr || have firefox || missing+=(firefox-esr)
# MiniBrowser comes with WebKitGTK's library, a dependency of webkit2gtk-driver.
{ have WebKitWebDriver && compgen -G "/usr/lib/*/webkit2gtk-*/MiniBrowser" >/dev/null; } \
  || missing+=(webkit2gtk-driver)
have Xvfb || missing+=(xvfb)

if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing Debian's ${missing[*]}"
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    "${missing[@]}" >/dev/null
fi
