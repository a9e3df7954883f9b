#!/usr/bin/env bash
# The dashboard's end-to-end test drives Debian's Chromium through chromedriver. This installs both, only when
# they are missing (CI and fresh machines); it needs root (or sudo) and Debian's package sources.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing chromium and chromium-driver for the dashboard test"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
