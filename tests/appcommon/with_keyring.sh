#!/usr/bin/env bash
# with_keyring.sh TEST [ARGS...]: runs TEST where a Secret Service with an unlocked login keyring
# answers on the session bus. scripts/test.sh provides one (AETHERV_KEYRING_HOME, a running
# dbus-run-session); otherwise this starts a private session and gnome-keyring in a temp HOME, so
# the operator's own keyring is never touched.
set -euo pipefail
if [ -n "${AETHERV_KEYRING_HOME:-}" ] && [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
    exec "$@"
fi
command -v dbus-run-session >/dev/null || { echo "dbus-run-session missing: run scripts/setup.sh" >&2; exit 1; }
command -v gnome-keyring-daemon >/dev/null || { echo "gnome-keyring-daemon missing: run scripts/setup.sh" >&2; exit 1; }
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
export AETHERV_KEYRING_HOME="$keyring_home"
dbus-run-session -- bash -c '
    HOME="$AETHERV_KEYRING_HOME" XDG_DATA_HOME="$AETHERV_KEYRING_HOME/.local/share" \
        gnome-keyring-daemon --unlock --components=secrets <<<"aetherv-test-keyring" >/dev/null
    exec "$@"
' keyring-runner "$@"
