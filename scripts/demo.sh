#!/usr/bin/env bash
# The main job: installs dependencies, builds acmespec, and runs the server
# conformance suite against a local Pebble (Debian's package). The reports
# land in ./acmespec-report/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh default
build/default/bin/acmespec list --scenarios
/usr/bin/python3 scripts/run-against-pebble.py build/default/bin/acmespec acmespec-report
