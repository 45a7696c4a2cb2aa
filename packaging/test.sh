#!/usr/bin/env bash
# Installs what is missing, builds everything (warnings as errors) and runs the whole test suite:
# tests/core (GoogleTest), tests/ui (QtTest, offscreen), tests/cli (end to end), the layout rule.
# The benchmarks are compiled too, so they cannot rot; they are run by hand (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
build_dir="${GEIH_BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGEIH_WERROR=ON -DGEIH_BUILD_BENCH=ON >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)" --timeout 600
