#!/usr/bin/env bash
# Installs the Debian packages GEIH Workbench needs to build, test and run.
# Idempotent: installs only what is missing and prints nothing when all is there.
#   packaging/install-deps.sh          build + test + run
#   packaging/install-deps.sh --bench  also the peers of bench/compare (pandas, scikit-learn, ...)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libeigen3-dev nlohmann-json3-dev libsqlite3-dev libgdal-dev libzstd-dev libcli11-dev libyaml-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev libgl-dev
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(python3 python3-numpy python3-pandas python3-sklearn python3-scipy python3-xgboost python3-gdal)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing: ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
