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
#   ACMESPEC_PYTEST_SERIAL=1          run every pytest file in one process (default: the
#                                     files that bind only ephemeral ports run in a second one)
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

# pytest files that bind only ephemeral loopback ports run in a second pytest
# process beside the rest, which use the default responder ports (5002, 5001,
# 8053) and so must run one at a time.  A file not listed here runs with the
# port-bound ones, so the list can only make the run slower, never racy.
# test_fuzz_oss_build.py (about 45 s, port-free) stays with the port-bound
# files: the client suites alone keep the second process busy longer.
free_files=(tests/integration/test_client_hostile.py tests/integration/test_client_mode.py
            tests/integration/test_fuzz_seeds.py tests/integration/test_cli.py tests/integration/test_report_cli.py)
export ACMESPEC_BIN="$root/build/default/bin/acmespec"
if [[ "${ACMESPEC_PYTEST_SERIAL:-0}" == 1 ]]; then
  step "integration tests (pytest)"
  /usr/bin/python3 -m pytest tests/integration -ra || status=1
else
  step "integration tests (pytest; ${#free_files[@]} port-free files in a parallel process)"
  free_log="$root/build/pytest-port-free.log"
  /usr/bin/python3 -m pytest "${free_files[@]}" -ra -p no:cacheprovider --basetemp="$root/build/pytest-port-free" \
    >"$free_log" 2>&1 &
  free_pid=$!
  trap 'kill "$free_pid" 2>/dev/null || true' EXIT
  ignores=()
  for f in "${free_files[@]}"; do ignores+=("--ignore=$f"); done
  /usr/bin/python3 -m pytest tests/integration "${ignores[@]}" -ra --basetemp="$root/build/pytest-port-bound" || status=1
  wait "$free_pid" || status=1
  trap - EXIT
  step "integration tests, port-free files (output of the parallel process, also in $free_log)"
  cat "$free_log"
fi

step "done, status $status"
exit $status
