#!/usr/bin/env bash
# iso_reproducible.sh BUILD_ISO_SH AGENT_ISO_DIR
# Builds each provisioning ISO folder twice with cmake/build_iso.sh, touching every file in
# between, and checks that the two images are byte-identical, carry the expected volume label,
# and list exactly the expected files.
set -euo pipefail
build_iso=$1 iso_root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

check() {
    local name=$1 label=$2; shift 2
    local expected=("$@")
    cp -R "$iso_root/$name" "$work/$name"
    SOURCE_DATE_EPOCH=946684800 "$build_iso" "$work/$name" "$work/$name-1.iso" "$label"
    # Different source timestamps (what a checkout or an edit changes) must not reach the image.
    find "$work/$name" -exec touch -d '2031-02-03 04:05:06' {} +
    SOURCE_DATE_EPOCH=946684800 "$build_iso" "$work/$name" "$work/$name-2.iso" "$label"
    cmp "$work/$name-1.iso" "$work/$name-2.iso" || fail "$name: two builds differ"
    local volid
    volid=$(xorriso -indev "$work/$name-1.iso" -pvd_info 2>/dev/null | sed -n "s/^Volume Id *: *//p")
    [ "$volid" = "$label" ] || fail "$name: volume id '$volid', expected '$label'"
    local listed
    listed=$(xorriso -indev "$work/$name-1.iso" -find / -type f 2>/dev/null | sed -e "s/^'//" -e "s/'$//" | sort)
    local wanted
    wanted=$(printf '/%s\n' "${expected[@]}" | sort)
    [ "$listed" = "$wanted" ] || fail "$name: files differ:"$'\n'"got:"$'\n'"$listed"$'\n'"expected:"$'\n'"$wanted"
    local sum
    sum=$(sha256sum "$work/$name-1.iso" | cut -d' ' -f1)
    echo "$name: $(stat -c %s "$work/$name-1.iso") bytes, sha256 $sum, label $volid, ${#expected[@]} files, reproducible"
}

check windows AETHERV_WINPROV AetherV.ProvisioningService.ps1 Install-AetherVProvisioning.ps1 README.txt SetupComplete.cmd
check linux CIDATA README.txt aetherv-provision.py meta-data user-data
# The seed must be usable by cloud-init: user-data starts with #cloud-config.
xorriso -indev "$work/linux-1.iso" -osirrox on -extract /user-data "$work/user-data" >/dev/null 2>&1
head -n1 "$work/user-data" | grep -qx '#cloud-config' || fail "linux: user-data does not start with #cloud-config"
