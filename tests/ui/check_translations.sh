#!/usr/bin/env bash
# check_translations.sh LUPDATE TS_FILE LUPDATE_PROJECT_CMAKE GENERATE_SCRIPT: runs lupdate exactly
# as the update_translations target does (same sources of core, ui, appcommon and the console,
# same include paths) into a copy of TS_FILE, and fails when any entry is unfinished — a new tr()
# string without a German text counts as unfinished.
set -euo pipefail
lupdate=$1 ts=$2 project_cmake=$3 generate=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake -DIN_FILE="$project_cmake" -DOUT_FILE="$work/project.json" -P "$generate"
cp "$ts" "$work/check.ts"
"$lupdate" -silent -no-obsolete -locations none -project "$work/project.json" -ts "$work/check.ts" \
    >"$work/lupdate.log" 2>&1 || { cat "$work/lupdate.log" >&2; exit 1; }
unfinished=$(grep -c 'type="unfinished"' "$work/check.ts" || true)
if [ "$unfinished" -ne 0 ]; then
    echo "$unfinished unfinished translation(s) in $(basename "$ts"):" >&2
    grep -B3 'type="unfinished"' "$work/check.ts" | grep '<source>' | head -40 >&2
    echo "run: cmake --build <build> --target update_translations, then translate them" >&2
    exit 1
fi
echo "$(grep -c '<source>' "$work/check.ts") strings, all translated"
