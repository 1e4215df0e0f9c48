#!/usr/bin/env bash
# scripts/sanitize.sh asan|tsan [ctest arguments...]
# Configures (once, from CMakePresets.json) and builds the sanitizer build in build-asan or
# build-tsan, then runs ctest there inside a keyring session like scripts/test.sh.
#   asan: AddressSanitizer + LeakSanitizer + UndefinedBehaviorSanitizer (gcc), every report fatal;
#         by default the whole suite except the Pester-only suites (label "agent"), which run
#         pwsh and none of our binaries.
#   tsan: ThreadSanitizer on the task runner, deployment and artifact server tests.
# Extra arguments go to ctest and replace the default selection (e.g. -L "winrm|deploy").
# AETHERV_BUILD_LOCK=<file> wraps configure and build in flock(1); AETHERV_JOBS sets -j (2).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=${1:-}
case "$mode" in
asan | tsan) shift ;;
*)
    echo "usage: scripts/sanitize.sh asan|tsan [ctest arguments...]" >&2
    exit 2
    ;;
esac
build=$top/build-$mode
supp=$top/scripts/sanitizers

locked() {
    if [ -n "${AETHERV_BUILD_LOCK:-}" ]; then flock "$AETHERV_BUILD_LOCK" "$@"; else "$@"; fi
}
stamp() { date +%s; }

t0=$(stamp)
"$top/scripts/setup.sh"
cd "$top"
if [ ! -f "$build/build.ninja" ]; then
    locked cmake --preset "$mode"
fi
# TSan runs only the threaded task runner, deployment and artifact server tests: build just
# those, and run exactly those (a label would also pick tests that were not built).
tsan_tests=(tst_remotetaskrunner tst_hostdeploymentservice tst_scriptoutput tst_artifactserver)
targets=()
if [ "$mode" = tsan ] && [ $# -eq 0 ]; then
    targets=(--target "${tsan_tests[@]}")
fi
locked cmake --build "$build" --parallel "${AETHERV_JOBS:-2}" "${targets[@]}"
t1=$(stamp)

if [ "$mode" = asan ]; then
    # halt_on_error: the first report ends the test, so nothing is lost in later noise.
    export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:check_initialization_order=1:detect_stack_use_after_return=1"
    export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
    default=(-LE '^agent$')
else
    # Debian's Qt is not instrumented: ignore_noninstrumented_modules keeps TSan from checking
    # the memory accesses Qt's own code makes through intercepted functions (memmove, realloc,
    # write) without seeing Qt's locks; hand-offs through Qt in our code are declared with
    # core/common/tsan.h.
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:history_size=4:die_after_fork=0:ignore_noninstrumented_modules=1:suppressions=$supp/tsan.supp"
    default=()
fi
# A parent's sanitizer runtime (the tests start the console, the CLI and hostsim workers) reads
# the same variables, so children are checked too.

# ctest inside one D-Bus session with an unlocked throw-away gnome-keyring, as scripts/test.sh
# does (the keychain tests need a Secret Service); the build above is complete, so no build here.
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
export AETHERV_KEYRING_HOME="$keyring_home"
run_ctest() {
    (cd "$build" && dbus-run-session -- bash -c '
        HOME="$AETHERV_KEYRING_HOME" XDG_DATA_HOME="$AETHERV_KEYRING_HOME/.local/share" \
            gnome-keyring-daemon --unlock --components=secrets <<<"aetherv-ci-keyring" >/dev/null
        ctest --output-on-failure --parallel "${AETHERV_TEST_JOBS:-$(nproc)}" --timeout 900 "$@"
    ' ctest-runner "$@")
}
status=0
if [ $# -gt 0 ]; then
    run_ctest "$@" || status=$?
elif [ "$mode" = asan ]; then
    run_ctest "${default[@]}" || status=$?
else
    run_ctest -R "^($(IFS='|'; echo "${tsan_tests[*]}"))\$" || status=$?
fi
t2=$(stamp)
echo "sanitize.sh $mode: configure+build $((t1 - t0))s, tests $((t2 - t1))s, exit $status"
exit $status
