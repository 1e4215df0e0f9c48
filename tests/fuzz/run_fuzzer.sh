#!/usr/bin/env bash
# run_fuzzer.sh <fuzzer> <seed corpus> <work dir> <runs>: one bounded, reproducible libFuzzer
# run. New inputs go to <work dir>/corpus, findings to <work dir>/findings; any crash, leak,
# sanitizer report or property violation makes the fuzzer exit non-zero, and so this test fail.
set -euo pipefail
fuzzer=$1 seeds=$2 work=$3 runs=$4
[ -d "$seeds" ] && [ -n "$(ls -A "$seeds")" ] || { echo "no seed corpus in $seeds" >&2; exit 1; }
rm -rf "$work/corpus" # every run starts from the seeds alone, so -seed=1 repeats it exactly
mkdir -p "$work/corpus" "$work/findings"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
exec "$fuzzer" -seed=1 -runs="$runs" -max_total_time=240 -rss_limit_mb=2048 \
    -artifact_prefix="$work/findings/" -print_final_stats=1 "$work/corpus" "$seeds"
