#!/usr/bin/env bash
# Runs every test: installs dependencies, builds, runs the unit tests and the
# corpus replays (g++), builds again with clang + libFuzzer + ASan + UBSan and
# replays every corpus under the sanitizers, fuzzes every target for a
# bounded time, and runs the pytest integration suites (Pebble, the mock CA,
# certbot, lego, chromium).
#
#   ACMESPEC_SKIP_SANITIZERS=1        skip the clang sanitizer build, its tests and fuzzing
#   ACMESPEC_SANITIZER_UNIT_TESTS=1   also build and run the unit tests under ASan + UBSan
#                                     (they double the sanitizer build)
#   ACMESPEC_FUZZ_SECONDS=N           seconds per fuzz target (default 20)
#   ACMESPEC_GCC_ASAN=1               also run the g++ ASan + UBSan build (preset asan)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-deps.sh

status=0
step() { echo; echo "==== $* ($(date -u +%H:%M:%S)) ===="; }

step "build (g++, preset default)"
scripts/build.sh default

step "unit tests and corpus replays (ctest, preset default)"
ctest --preset default -j "$(nproc)" || status=1

if [[ "${ACMESPEC_SKIP_SANITIZERS:-0}" != 1 ]]; then
  unit=OFF
  [[ "${ACMESPEC_SANITIZER_UNIT_TESTS:-0}" == 1 ]] && unit=ON
  step "build (clang, libFuzzer + ASan + UBSan, preset fuzz, unit tests $unit)"
  scripts/build.sh fuzz -DACMESPEC_BUILD_UNIT_TESTS=$unit
  step "corpus replays$([[ $unit == ON ]] && echo ' and unit tests') under ASan + UBSan (ctest, preset fuzz)"
  ctest --preset fuzz -j "$(nproc)" || status=1
  step "fuzzing every target for ${ACMESPEC_FUZZ_SECONDS:-20} s"
  ACMESPEC_FUZZ_SECONDS="${ACMESPEC_FUZZ_SECONDS:-20}" scripts/fuzz.sh build/fuzz || status=1
fi

if [[ "${ACMESPEC_GCC_ASAN:-0}" == 1 ]]; then
  step "build (g++ ASan + UBSan, preset asan)"
  scripts/build.sh asan
  step "unit tests under g++ ASan + UBSan (ctest, preset asan)"
  ctest --preset asan -j "$(nproc)" || status=1
fi

step "integration tests (pytest)"
ACMESPEC_BIN="$root/build/default/bin/acmespec" \
  /usr/bin/python3 -m pytest tests/integration -ra || status=1

step "done, status $status"
exit $status
