#!/usr/bin/env bash
# Configures (once) and builds the project incrementally into ${AETHERV_BUILD_DIR:-build}.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${AETHERV_BUILD_DIR:-$top/build}
type=${CMAKE_BUILD_TYPE:-RelWithDebInfo}
if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="$type" ${AETHERV_CMAKE_ARGS:-}
fi
cmake --build "$build" --parallel "${AETHERV_JOBS:-$(nproc)}"
