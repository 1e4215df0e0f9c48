#!/usr/bin/env bash
# check_iso_reproducible.sh SOURCE_DIR: builds each agent/iso/<kind> folder twice with
# build_iso.sh, touching every file between the builds, and demands byte-identical images whose
# listing matches the source folder.
set -euo pipefail
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for kind in windows linux; do
    cp -R "$src/agent/iso/$kind" "$work/$kind"
    SOURCE_DATE_EPOCH=946684800 "$src/cmake/build_iso.sh" "$work/$kind" "$work/$kind-1.iso" TESTVOL
    sleep 1
    find "$work/$kind" -exec touch {} +
    SOURCE_DATE_EPOCH=946684800 "$src/cmake/build_iso.sh" "$work/$kind" "$work/$kind-2.iso" TESTVOL
    cmp "$work/$kind-1.iso" "$work/$kind-2.iso" || { echo "$kind ISO differs between builds" >&2; exit 1; }
    expected=$(cd "$work/$kind" && find . -type f ! -name .gitkeep | sed 's|^\./||' | sort)
    actual=$(xorriso -indev "$work/$kind-1.iso" -find / -type f 2>/dev/null | sed "s|^'/||; s|'$||" | sort)
    [ "$expected" = "$actual" ] || { echo "$kind ISO listing differs from its folder:" >&2; diff <(echo "$expected") <(echo "$actual") >&2; exit 1; }
    echo "$kind: $(stat -c %s "$work/$kind-1.iso") bytes, $(echo "$expected" | grep -c . ) files, reproducible"
done
