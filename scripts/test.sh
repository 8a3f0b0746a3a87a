#!/usr/bin/env bash
# Runs every test: installs dependencies, builds, runs the unit tests (also
# under AddressSanitizer + UBSan) and the pytest integration suite.
# Set ACMESPEC_SKIP_ASAN=1 to skip the sanitizer pass during development.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-deps.sh

status=0
step() { echo; echo "==== $* ===="; }

step "build (g++, preset default)"
scripts/build.sh default

step "unit tests (ctest, preset default)"
ctest --preset default -j "$(nproc)" || status=1

if [[ "${ACMESPEC_SKIP_ASAN:-0}" != 1 ]]; then
  step "build (ASan + UBSan, preset asan)"
  scripts/build.sh asan
  step "unit tests under ASan + UBSan (ctest, preset asan)"
  ctest --preset asan -j "$(nproc)" || status=1
fi

step "integration tests (pytest)"
ACMESPEC_BIN="$root/build/default/bin/acmespec" \
  /usr/bin/python3 -m pytest tests/integration -ra || status=1

exit $status
