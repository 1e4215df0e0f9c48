#!/usr/bin/env bash
# scripts/fuzz.sh [target|all] [seconds]
# scripts/fuzz.sh --ctest      builds the targets and runs their short ctest runs (label fuzz)
# Builds the libFuzzer targets (fuzz/, clang 16, ASan+UBSan) in build-fuzz and runs one target,
# or each in turn, for the given seconds (default 60; 0 = no time limit). With
# AETHERV_FUZZ_RUNS=N each run stops after N executions instead (e.g. 10000000).
# Every run starts from the seeds in fuzz/corpus/<target>/ plus what earlier runs found in
# build-fuzz/fuzz-work/<target>/corpus; a crash, leak, sanitizer report or property violation
# stops it, leaves the input in build-fuzz/fuzz-work/<target>/findings/ and fails the script.
# AETHERV_BUILD_LOCK=<file> wraps configure and build in flock(1); the fuzzers run under nice.
# RSS is capped at AETHERV_FUZZ_RSS_MB (4096): over millions of executions ASan's stack depot
# keeps every distinct allocation stack (recursive JSON and XML parsing makes many), so a long
# run grows past libFuzzer's default 2 GB without any leak.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${AETHERV_FUZZ_BUILD_DIR:-$top/build-fuzz}
target=${1:-all}
seconds=${2:-60}
runs=${AETHERV_FUZZ_RUNS:--1}
cxx=${AETHERV_FUZZ_CXX:-clang++-16}

locked() {
    if [ -n "${AETHERV_BUILD_LOCK:-}" ]; then flock "$AETHERV_BUILD_LOCK" "$@"; else "$@"; fi
}

command -v "$cxx" >/dev/null || { echo "fuzz.sh: $cxx is missing (scripts/setup.sh installs it)" >&2; exit 2; }
if [ ! -f "$build/build.ninja" ]; then
    locked cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER="$cxx" -DAETHERV_FUZZ=ON
fi
locked cmake --build "$build" --target aetherv_fuzzers --parallel "${AETHERV_JOBS:-2}"

if [ "$target" = --ctest ]; then
    # Each target for AETHERV_FUZZ_SHORT_RUNS (20000) executions from its seeds (tests/fuzz).
    exec ctest --test-dir "$build" -L fuzz --output-on-failure --parallel "${AETHERV_TEST_JOBS:-$(nproc)}"
fi

if [ "$target" = all ]; then
    targets=$(find "$build/fuzz" -maxdepth 1 -type f -perm -u+x -name 'fuzz_*' -printf '%f\n' | sort)
else
    [ -x "$build/fuzz/$target" ] || { echo "fuzz.sh: no fuzz target $target in $build/fuzz" >&2; exit 2; }
    targets=$target
fi

symbolizer=$(command -v llvm-symbolizer-16 || ls /usr/lib/llvm-16/bin/llvm-symbolizer 2>/dev/null \
    || command -v llvm-symbolizer || true)
export ASAN_SYMBOLIZER_PATH=$symbolizer
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

status=0
for t in $targets; do
    work=$build/fuzz-work/$t
    mkdir -p "$work/corpus" "$work/findings"
    log=$work/last-run.log
    echo "== $t: $([ "$runs" -gt 0 ] && echo "$runs executions" || echo "${seconds}s")"
    set +e
    nice -n 10 "$build/fuzz/$t" -runs="$runs" -max_total_time="$seconds" -rss_limit_mb="${AETHERV_FUZZ_RSS_MB:-4096}" \
        -timeout=25 -artifact_prefix="$work/findings/" -print_final_stats=1 \
        "$work/corpus" "$top/fuzz/corpus/$t" >"$log" 2>&1
    rc=$?
    set -e
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" | sed "s/^/   /"
    if [ $rc -ne 0 ]; then
        echo "   FAILED (exit $rc), report in $log:" >&2
        grep -E 'ERROR|runtime error|property violated|SUMMARY|Test unit written' "$log" | head -8 >&2
        status=1
    fi
done
exit $status
