#!/usr/bin/env bash
# The main job: installs dependencies, builds acmespec and prints its
# catalogue of checks.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh default
build/default/bin/acmespec list
