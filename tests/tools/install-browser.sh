#!/usr/bin/env bash
# tests/tools/install-browser.sh: installs Debian's chromium for the HTML
# report's test (tests/reports.sh opens the report in headless Chromium),
# unless a chromium is already on PATH. Needs apt-get and root (or sudo
# without a password). Exits 1, saying why, when it cannot: that test then
# counts as skipped, never as passed.
set -euo pipefail
if command -v chromium >/dev/null; then
    exit 0
fi
command -v apt-get >/dev/null || { echo "install-browser: no apt-get here" >&2; exit 1; }
sudo=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null || { echo "install-browser: needs root" >&2; exit 1; }
    sudo=(sudo -n)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get install -y -q chromium >/dev/null 2>&1 ||
    { "${sudo[@]}" apt-get update -q >/dev/null 2>&1 && "${sudo[@]}" apt-get install -y -q chromium >/dev/null 2>&1; } ||
    { echo "install-browser: apt-get could not install chromium" >&2; exit 1; }
echo "install-browser: installed $(chromium --version 2>/dev/null)"
