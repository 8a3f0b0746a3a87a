#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build for a bounded time each, with
# its dictionary and max_len, starting from its seed corpus.  Fails when a
# target crashes, leaks, times out or breaks an invariant, and prints each
# target's exec/s and coverage.
#
#   scripts/fuzz.sh [BUILD_DIR]          (default: build/fuzz, the `fuzz` preset)
#   ACMESPEC_FUZZ_SECONDS=20             seconds per target
#   ACMESPEC_FUZZ_TARGETS="jws_fuzzer"   a subset (space-separated)
#   ACMESPEC_FUZZ_ARTIFACTS=DIR          where crash inputs land (default: fuzz-artifacts/)
#   ACMESPEC_FUZZ_JOBS=N                 targets fuzzed at once (default: the number of CPUs;
#                                        exec/s figures are per target, so compare them at one setting)
#
# New inputs the engine finds go to a scratch folder, never into corpus/:
# a crash reproducer worth keeping is added there by hand, named by behaviour.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/fuzz}
seconds=${ACMESPEC_FUZZ_SECONDS:-20}
artifacts=${ACMESPEC_FUZZ_ARTIFACTS:-fuzz-artifacts}
jobs=${ACMESPEC_FUZZ_JOBS:-$(nproc)}
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "ACMESPEC_FUZZ_JOBS must be a positive integer, not \"$jobs\"" >&2; exit 2; }
mkdir -p "$artifacts"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

targets=${ACMESPEC_FUZZ_TARGETS:-}
if [[ -z "$targets" ]]; then
  for bin in "$build"/fuzz/*_fuzzer; do [[ -x "$bin" ]] && targets+=" $(basename "$bin")"; done
fi
if [[ -z "${targets// }" ]]; then
  echo "no fuzz targets in $build/fuzz (configure with: cmake --preset fuzz)" >&2
  exit 2
fi

# One target: fuzz it, then write its table row (and, on failure, the
# engine's key lines) to $scratch/<name>.row and exit with its status.
fuzz_one() {
  local name=$1 bin="$build/fuzz/$1" log="$scratch/$1.log" rc max_len execs rate cov ft result
  local args=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
              -artifact_prefix="$artifacts/$name-")
  [[ -f "fuzz/$name.dict" ]] && args+=(-dict="fuzz/$name.dict")
  max_len=$(sed -n 's/^max_len *= *\([0-9]*\).*/\1/p' "fuzz/$name.options" 2>/dev/null)
  [[ -n "$max_len" ]] && args+=(-max_len="$max_len")
  mkdir -p "$scratch/$name"
  # The outer timeout only guards against an engine that ignores its own limit.
  timeout $((seconds + 120)) "$bin" "${args[@]}" "$scratch/$name" "corpus/$name" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  result=ok
  [[ $rc -ne 0 ]] && result="FAILED (exit $rc)"
  {
    printf '%-24s %10s %10s %8s %8s %s\n' "$name" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$result"
    [[ $rc -ne 0 ]] && grep -E 'ERROR|invariant|SUMMARY|Test unit written' "$log" | head -20
  } >"$scratch/$name.row"
  return $rc
}

# Targets run $jobs at a time; rows are printed in target order once all ended.
running=0
for name in $targets; do
  if (( running >= jobs )); then wait -n; running=$((running - 1)); fi
  fuzz_one "$name" &
  running=$((running + 1))
done
wait

status=0
printf '%-24s %10s %10s %8s %8s %s\n' target execs exec/s cov ft result
for name in $targets; do
  if [[ ! -s "$scratch/$name.row" ]]; then
    printf '%-24s %s\n' "$name" "FAILED (no result: the run was interrupted)"
    status=1
    continue
  fi
  head -1 "$scratch/$name.row"
  if [[ "$(head -1 "$scratch/$name.row")" != *" ok" ]]; then
    status=1
    tail -n +2 "$scratch/$name.row" >&2
  fi
done
exit $status
