# Compiles the hostsim pwsh worker (C# sources next to this script) into one assembly.
# Used by the build: pwsh -NoProfile -NonInteractive -File compile-worker.ps1 -OutputAssembly <dll> <sources...>
param(
    [Parameter(Mandatory)] [string] $OutputAssembly,
    [Parameter(Mandatory, ValueFromRemainingArguments)] [string[]] $Source
)
$ErrorActionPreference = 'Stop'
$temporary = "$OutputAssembly.tmp-$PID"
try {
    Add-Type -Path $Source -OutputAssembly $temporary -OutputType Library
    Move-Item -Force -LiteralPath $temporary -Destination $OutputAssembly
} finally {
    Remove-Item -Force -LiteralPath $temporary -ErrorAction SilentlyContinue
}
