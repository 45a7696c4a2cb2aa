#!/usr/bin/env bash
# Installs what is missing, builds, creates a demo workspace and opens GEIH Workbench on it.
# With no display it builds the same demo headless and prints where everything was written.
#   packaging/demo.sh [WORKSPACE]     (default: ./geih-workspace)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
workspace="$(realpath -m "${1:-${GEIH_WORKSPACE:-geih-workspace}}")"
bash "$repo/packaging/install-deps.sh"
build_dir="$repo/build"
cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build_dir" -j"$(nproc)" --target geih geih-workbench

if [[ -f "$workspace/geih.db" ]]; then
  echo "Using the existing workspace $workspace"
else
  # The Olinda deforestation scenario runs on the committed Landsat 7 scene.
  "$build_dir/app/geih" demo --workspace "$workspace" --olinda "$repo/tests/data/olinda_l7_etms.tif"
fi

if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  exec "$build_dir/app/geih-workbench" "$workspace"
fi
echo
echo "No display found, so the window was not opened. Everything is in $workspace:"
echo "  $workspace/geih.db     experiments, runs, params, metrics, curves, datasets"
echo "  $workspace/artifacts/  models (content-addressed)"
echo "  $workspace/data/       registered dataset files"
echo "Look at it:  $build_dir/app/geih runs list --workspace $workspace"
echo "On a desktop: $build_dir/app/geih-workbench $workspace"
