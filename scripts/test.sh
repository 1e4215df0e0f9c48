#!/usr/bin/env bash
# README command 2: installs what is missing, builds, and runs the whole test suite through ctest.
# Tests that need a Secret Service run inside one D-Bus session with an unlocked gnome-keyring
# whose files live in a throw-away HOME, so the operator's own keyring is never touched.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${AETHERV_BUILD_DIR:-$top/build}
"$top/scripts/setup.sh"
"$top/scripts/build.sh"
cd "$build"
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
export AETHERV_KEYRING_HOME="$keyring_home"
exec dbus-run-session -- bash -c '
    HOME="$AETHERV_KEYRING_HOME" XDG_DATA_HOME="$AETHERV_KEYRING_HOME/.local/share" \
        gnome-keyring-daemon --unlock --components=secrets <<<"aetherv-ci-keyring" >/dev/null
    ctest --output-on-failure --parallel "${AETHERV_TEST_JOBS:-$(nproc)}" --timeout 900 "$@"
' ctest-runner "$@"
