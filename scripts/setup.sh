#!/usr/bin/env bash
# Installs everything the build, the tests, the benchmarks and the demo use: Debian packages
# (scripts/packages/*.txt), PowerShell 7 as a dotnet global tool, and the Pester module from NuGet.
# Idempotent: when everything is present it only checks and returns within a few seconds.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PWSH_VERSION=7.6.9
PESTER_VERSION=5.7.1

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@";
    else die "need root (or sudo) to install Debian packages: $*"; fi
}

# --- Debian packages -------------------------------------------------------------------------
wanted=$(cat "$here"/packages/*.txt | sed -e 's/#.*//' -e 's/[[:space:]]//g' | grep -v '^$' | sort -u)
missing=()
for p in $wanted; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${#missing[@]} Debian packages: ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
    log "Debian packages: all $(echo "$wanted" | wc -w) present"
fi

# --- PowerShell 7 (dotnet global tool) -------------------------------------------------------
command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is missing: this machine kind ships it; install the .NET 10 SDK and retry"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
tools="$HOME/.dotnet/tools"
if [ -x "$tools/pwsh" ] && "$tools/pwsh" -NoLogo -NoProfile -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null | grep -qx "$PWSH_VERSION"; then
    log "PowerShell $PWSH_VERSION present"
else
    log "installing PowerShell $PWSH_VERSION (dotnet tool)"
    dotnet tool uninstall --global PowerShell >/dev/null 2>&1 || true
    dotnet tool install --global PowerShell --version "$PWSH_VERSION"
fi

# --- Pester (NuGet package) ------------------------------------------------------------------
pester="$HOME/.nuget/packages/pester/$PESTER_VERSION/tools/Pester.psd1"
if [ -f "$pester" ]; then
    log "Pester $PESTER_VERSION present"
else
    log "fetching Pester $PESTER_VERSION from NuGet"
    work=$(mktemp -d)
    cp "$here/pester/pester-download.csproj" "$work/"
    (cd "$work" && dotnet restore --nologo -v quiet pester-download.csproj)
    rm -rf "$work"
    [ -f "$pester" ] || die "Pester did not arrive at $pester"
fi
log "ready"
