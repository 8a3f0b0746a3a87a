#!/usr/bin/env bash
# Configures and builds one CMake preset (default: "default"); further
# arguments go to the configure step (-DNAME=VALUE).
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
shift || true
jobs=${ACMESPEC_JOBS:-$(nproc)}
cmake --preset "$preset" "$@" >/dev/null
cmake --build --preset "$preset" -j "$jobs"
