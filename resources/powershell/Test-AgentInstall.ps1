<#
.SYNOPSIS
    Lists what an Aether-V install directory holds (the CLI's `smoke HOST`): every top-level file
    with size and SHA-256, the version text, the deployed manifest digest, and how the files
    compare with that manifest.
.DESCRIPTION
    Read-only. Writes exactly one {"event":"result"} JSON line to stdout. Runs on Windows
    PowerShell 5.1 and PowerShell 7.
#>
[CmdletBinding()]
param([Parameter(Mandatory = $true)][string]$ParametersJson)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$Av = @{ Cmdlet = $PSCmdlet }

#AETHERV-INCLUDE AvRemoteCommon.ps1

# ---- Test-AgentInstall ----

function Get-AvStreamSha256 {
    param([string]$Path)
    $sha = [System.Security.Cryptography.SHA256]::Create()
    $fs = [System.IO.FileStream]::new($Path, [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read, [System.IO.FileShare]::ReadWrite, 1048576)
    try { return [System.BitConverter]::ToString($sha.ComputeHash($fs)).Replace('-', '').ToLowerInvariant() }
    finally { $fs.Dispose(); $sha.Dispose() }
}

function Invoke-AvTestInstall {
    $params = $null
    try { $params = ConvertFrom-AvJson $ParametersJson }
    catch { throw (New-AvFailure 'bad-parameters' 'ParametersJson is not valid JSON: pass {"installDirectory": "..."}') }
    $dir = Resolve-AvInstallDirectory (Get-AvProperty $params 'installDirectory')
    $Av.Result.installDirectory = $dir
    if (-not [System.IO.Directory]::Exists($dir)) {
        $Av.Result.outcome = 'ok'
        return
    }
    $Av.Result.exists = $true
    $paths = [System.IO.Directory]::GetFiles($dir)
    $names = New-Object string[] $paths.Length
    for ($i = 0; $i -lt $paths.Length; $i++) { $names[$i] = [System.IO.Path]::GetFileName($paths[$i]) }
    [Array]::Sort($names, $paths, [StringComparer]::Ordinal)
    $files = New-Object System.Collections.Generic.List[object]
    $byName = New-Object 'System.Collections.Generic.Dictionary[string,object]' -ArgumentList ([StringComparer]::OrdinalIgnoreCase)
    for ($i = 0; $i -lt $paths.Length; $i++) {
        $info = New-Object System.IO.FileInfo -ArgumentList $paths[$i]
        $f = [ordered]@{ name = $names[$i]; size = [long]$info.Length; sha256 = Get-AvStreamSha256 $paths[$i] }
        $files.Add($f)
        $byName[$names[$i]] = $f
    }
    $Av.Result.files = $files.ToArray()

    $versionPath = [System.IO.Path]::Combine($dir, 'version')
    if ([System.IO.File]::Exists($versionPath)) { $Av.Result.version = Get-AvVersionText ([System.IO.File]::ReadAllBytes($versionPath)) }

    $manifestPath = [System.IO.Path]::Combine($dir, 'manifest.json')
    if ([System.IO.File]::Exists($manifestPath)) {
        $m = Read-AvManifestText (ConvertFrom-AvTextBytes ([System.IO.File]::ReadAllBytes($manifestPath)))
        $Av.Result.manifestDigest = $m.Digest
        $Av.Result.manifestValid = $m.Valid
        $Av.Result.manifestError = $m.Error
        if ($m.Valid) {
            $missing = New-Object System.Collections.Generic.List[string]
            $mismatched = New-Object System.Collections.Generic.List[string]
            $listed = New-Object 'System.Collections.Generic.HashSet[string]' -ArgumentList ([StringComparer]::OrdinalIgnoreCase)
            [void]$listed.Add('manifest.json')
            foreach ($e in $m.Entries) {
                [void]$listed.Add($e.Name)
                if (-not $byName.ContainsKey($e.Name)) { $missing.Add($e.Name); continue }
                $f = $byName[$e.Name]
                if ($f.size -ne $e.Size -or $f.sha256 -ne $e.Sha256) { $mismatched.Add($e.Name) }
            }
            $extra = New-Object System.Collections.Generic.List[string]
            foreach ($n in $names) {
                if (-not $listed.Contains($n) -and -not $n.StartsWith('.aetherv.lock', [StringComparison]::OrdinalIgnoreCase)) { $extra.Add($n) }
            }
            $Av.Result.missing = $missing.ToArray()
            $Av.Result.mismatched = $mismatched.ToArray()
            $Av.Result.extra = $extra.ToArray()
            $Av.Result.healthy = ($missing.Count -eq 0 -and $mismatched.Count -eq 0)
        }
    }
    $Av.Result.outcome = 'ok'
}

$Av.Result = [ordered]@{
    event = 'result'; outcome = 'failed'; exists = $false; files = @(); version = $null; manifestDigest = $null
    manifestValid = $false; manifestError = $null; missing = @(); mismatched = @(); extra = @(); healthy = $false
    installDirectory = $null; error = $null; code = $null
}
try {
    $null = Invoke-AvTestInstall
}
catch {
    $code = $_.Exception.Data['AvCode']
    if ($null -eq $code) { $code = 'read-failed' }
    $Av.Result.outcome = 'failed'
    $Av.Result.code = [string]$code
    $Av.Result.error = Get-AvErrorMessage $_.Exception
    if ($code -ne 'bad-parameters') { $Av.Result.error = 'Listing the install directory failed: ' + $Av.Result.error + '. Check the path and that the account may read it.' }
}
Write-AvLine $Av.Result
