#!/usr/bin/env bash
# build_iso.sh SOURCE_DIR OUTPUT_ISO VOLUME_ID
# Builds a reproducible ISO 9660 image (Rock Ridge + Joliet) of SOURCE_DIR with xorriso: files are
# copied to a staging tree whose every timestamp is SOURCE_DATE_EPOCH, permissions normalised,
# and all volume dates and the volume UUID pinned, so two builds give byte-identical images.
set -euo pipefail
src=$1 out=$2 volid=$3
epoch=${SOURCE_DATE_EPOCH:-946684800}
command -v xorriso >/dev/null || { echo "build_iso.sh: xorriso is missing: run scripts/setup.sh" >&2; exit 1; }
[ -d "$src" ] || { echo "build_iso.sh: no such folder: $src" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R --no-preserve=all "$src/." "$stage/"
find "$stage" -name '.gitkeep' -delete
find "$stage" -type d -exec chmod 0755 {} +
find "$stage" -type f -exec chmod 0644 {} +
find "$stage" -type f \( -name '*.sh' -o -name '*.ps1' \) -exec chmod 0755 {} +
find "$stage" -exec touch -h -d "@$epoch" {} +

stamp=$(date -u -d "@$epoch" +%Y%m%d%H%M%S00)
tmp="$out.tmp.$$"
rm -f "$tmp"
# SOURCE_DATE_EPOCH makes xorriso pin the volume dates and UUID; the explicit options say so too.
SOURCE_DATE_EPOCH=$epoch xorriso -report_about SORRY -abort_on FAILURE \
    -outdev "$tmp" -volid "$volid" -joliet on -rockridge on \
    -compliance no_emul_toc \
    -volume_date c "$stamp" -volume_date m "$stamp" -volume_date x default \
    -volume_date f default -volume_date uuid "${stamp:0:16}" \
    -volume_date all_file_dates "$stamp" \
    -map "$stage" / \
    -commit >/dev/null 2>&1 || { rm -f "$tmp"; echo "build_iso.sh: xorriso failed for $src" >&2; exit 1; }
mv -f "$tmp" "$out"
