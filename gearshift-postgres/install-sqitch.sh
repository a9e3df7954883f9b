#!/usr/bin/env bash
# SqitchAdoptionTest runs the real Sqitch (Debian's sqitch, with its PostgreSQL driver and psql). This installs them,
# only when they are missing (CI and fresh machines); it needs root (or sudo) and Debian's package sources.
set -euo pipefail
if command -v sqitch >/dev/null 2>&1 && command -v psql >/dev/null 2>&1 && perl -MDBD::Pg -e 1 >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing sqitch, libdbd-pg-perl and postgresql-client for the Sqitch adoption test"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq sqitch libdbd-pg-perl postgresql-client >/dev/null
