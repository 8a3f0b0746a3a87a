#!/usr/bin/env bash
# Installs everything acmespec's build, tests and demo need, from Debian's
# packages only.  Idempotent: packages already present are left alone, and
# nothing is fetched when everything is installed.
set -euo pipefail

packages=(
  # build
  g++ cmake ninja-build pkg-config git ca-certificates
  clang libclang-rt-14-dev libfuzzer-14-dev
  libssl-dev openssl libcpp-httplib-dev nlohmann-json3-dev catch2
  # tests and orchestration
  python3 python3-pytest python3-cryptography
  chromium  # opens the HTML report headless in tests/integration/test_report_browser.py
  # the implementations acmespec is run against
  pebble certbot lego
)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages (${missing[*]}); run as root to install them" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
