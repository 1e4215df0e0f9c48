#!/usr/bin/env bash
# check_package.sh BUILD_DIR: builds the Debian package with cpack into a temp dir and checks that
# it installs the console (with its .desktop file and icon), the CLI and the agent bundle, and
# that its dependencies name Qt and libsecret.
set -euo pipefail
build=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd "$build" && cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1) || { cat "$out/cpack.log" >&2; exit 1; }
deb=$(ls "$out"/*.deb)
contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/aetherv-console ./usr/bin/aetherv-deploy \
            ./usr/share/applications/aetherv-console.desktop \
            ./usr/share/icons/hicolor/scalable/apps/aetherv.svg \
            ./usr/share/aetherv/agent/version ./usr/share/aetherv/agent/WindowsProvisioning.iso \
            ./usr/share/aetherv/agent/LinuxProvisioning.iso \
            ./usr/share/aetherv/agent/Invoke-ProvisioningJob.ps1; do
    grep -q " $path\$" <<<"$contents" || { echo "missing in package: $path" >&2; exit 1; }
done
if grep -qE ' \./usr/bin/tst_' <<<"$contents"; then echo "test programs in the package" >&2; exit 1; fi
depends=$(dpkg-deb -f "$deb" Depends)
for dep in libqt6widgets6 libqt6core6 libsecret-1-0 libqt6keychain1; do
    grep -q "$dep" <<<"$depends" || { echo "Depends lacks $dep: $depends" >&2; exit 1; }
done
if command -v desktop-file-validate >/dev/null; then
    dpkg-deb -x "$deb" "$out/root"
    desktop-file-validate "$out/root/usr/share/applications/aetherv-console.desktop"
fi
echo "$(basename "$deb"): $(stat -c %s "$deb") bytes; Depends: $depends"
