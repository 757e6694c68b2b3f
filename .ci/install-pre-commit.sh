#!/bin/sh
# Installs Debian's pre-commit framework for the try-repo test
# (test/e2e/pre-commit-framework.test.ts installs leakguard's hooks with it; npm run test:e2e).
# Idempotent: does nothing when pre-commit is already on PATH.
set -eu
if command -v pre-commit >/dev/null 2>&1; then
  echo "pre-commit: already installed ($(pre-commit --version 2>/dev/null || echo unknown version))"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q pre-commit
pre-commit --version
