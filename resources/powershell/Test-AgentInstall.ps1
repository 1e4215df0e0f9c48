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

# ---- shared helpers (kept identical in every remote script; a test compares them) ----

function Write-AvLine {
    param([Parameter(Mandatory = $true)]$Object)
    # Non-ASCII is written as \u00e9-style escapes so the line survives any console code page unchanged.
    $json = ConvertTo-Json -InputObject $Object -Compress -Depth 10
    $ascii = [regex]::Replace($json, '[^\x00-\x7e]', { param($m) '\u{0:x4}' -f [int][char]$m.Value })
    $Av.Cmdlet.WriteObject($ascii)
}

function New-AvFailure {
    param([string]$Code, [string]$Message)
    $ex = New-Object System.InvalidOperationException -ArgumentList $Message
    $ex.Data['AvCode'] = $Code
    return $ex
}

function Get-AvErrorMessage {
    param($Exception)
    $e = $Exception
    while ($null -ne $e.InnerException -and ($e -is [System.Management.Automation.MethodInvocationException] -or
            $e -is [System.AggregateException] -or $e -is [System.Reflection.TargetInvocationException])) {
        $e = $e.InnerException
    }
    return [string]$e.Message
}

function Get-AvProperty {
    param($Object, [string]$Name)
    if ($null -eq $Object -or $Object -is [string] -or $Object -is [ValueType]) { return $null }
    $p = $Object.PSObject.Properties[$Name]
    if ($null -eq $p) { return $null }
    return , $p.Value
}

function ConvertFrom-AvJson {
    param([string]$Text)
    # PowerShell 7.5+ would turn ISO date strings into DateTime unless told not to.
    $extra = @{}
    if ((Get-Command -Name ConvertFrom-Json -CommandType Cmdlet).Parameters.ContainsKey('DateKind')) {
        $extra['DateKind'] = 'String'
    }
    return , (ConvertFrom-Json -InputObject $Text @extra)
}

function Resolve-AvInstallDirectory {
    param($Value)
    if ($Value -isnot [string] -or [string]::IsNullOrWhiteSpace($Value)) {
        throw (New-AvFailure 'bad-parameters' 'installDirectory must be a non-empty string: pass the absolute install path')
    }
    $isDrivePath = $Value -match '^[A-Za-z]:[\\/]'
    if (-not ($isDrivePath -or [System.IO.Path]::IsPathRooted($Value))) {
        throw (New-AvFailure 'bad-parameters' "installDirectory '$Value' is not an absolute path: pass a full path such as C:\Program Files\Aether-V")
    }
    $provider = $null
    $drive = $null
    if ($isDrivePath) {
        # X:\... goes through the PowerShell drive X:, so a drive mapped in this session counts.
        try {
            $resolved = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Value, [ref]$provider, [ref]$drive)
        } catch {
            throw (New-AvFailure 'install-dir' ("installDirectory '$Value' names drive " + $Value.Substring(0, 2) + ', which does not exist on this host'))
        }
    } else {
        $qualified = 'Microsoft.PowerShell.Core\FileSystem::' + $Value
        $resolved = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($qualified, [ref]$provider, [ref]$drive)
    }
    if ($null -eq $provider -or $provider.Name -ne 'FileSystem') {
        throw (New-AvFailure 'bad-parameters' "installDirectory '$Value' is not a file system path")
    }
    $full = [System.IO.Path]::GetFullPath($resolved)
    $root = [System.IO.Path]::GetPathRoot($full)
    while ($full.Length -gt $root.Length -and ($full.EndsWith('\') -or $full.EndsWith('/'))) {
        $full = $full.Substring(0, $full.Length - 1)
    }
    return $full
}

function Get-AvSha256Hex {
    param([byte[]]$Bytes)
    $sha = [System.Security.Cryptography.SHA256]::Create()
    try { return [System.BitConverter]::ToString($sha.ComputeHash($Bytes)).Replace('-', '').ToLowerInvariant() }
    finally { $sha.Dispose() }
}

function ConvertFrom-AvTextBytes {
    param([byte[]]$Bytes)
    # BOM first; without a BOM, NUL bytes in the first pair mean UTF-16.
    if ($null -eq $Bytes -or $Bytes.Length -eq 0) { return '' }
    $n = $Bytes.Length
    if ($n -ge 3 -and $Bytes[0] -eq 0xEF -and $Bytes[1] -eq 0xBB -and $Bytes[2] -eq 0xBF) {
        return [System.Text.Encoding]::UTF8.GetString($Bytes, 3, $n - 3)
    }
    if ($n -ge 2 -and $Bytes[0] -eq 0xFF -and $Bytes[1] -eq 0xFE) { return [System.Text.Encoding]::Unicode.GetString($Bytes, 2, $n - 2) }
    if ($n -ge 2 -and $Bytes[0] -eq 0xFE -and $Bytes[1] -eq 0xFF) { return [System.Text.Encoding]::BigEndianUnicode.GetString($Bytes, 2, $n - 2) }
    if ($n -ge 2 -and $Bytes[0] -ne 0 -and $Bytes[1] -eq 0) { return [System.Text.Encoding]::Unicode.GetString($Bytes) }
    if ($n -ge 2 -and $Bytes[0] -eq 0 -and $Bytes[1] -ne 0) { return [System.Text.Encoding]::BigEndianUnicode.GetString($Bytes) }
    return [System.Text.Encoding]::UTF8.GetString($Bytes)
}

function Get-AvVersionText {
    param([byte[]]$Bytes)
    # The first non-blank line, trimmed, without NULs: the same reading the console applies.
    $text = (ConvertFrom-AvTextBytes $Bytes).Replace([string][char]0, '')
    foreach ($line in ($text -split "`r`n|`n|`r")) {
        $t = $line.Trim()
        if ($t.Length -gt 0) { return $t }
    }
    return ''
}

function Test-AvEntryName {
    param($Name)
    if ($Name -isnot [string] -or $Name.Length -eq 0 -or $Name.Length -gt 255) { return $false }
    if ($Name -eq '.' -or $Name -eq '..' -or $Name.EndsWith(' ') -or $Name.EndsWith('.')) { return $false }
    if ($Name -match '[\x00-\x1f\x7f/\\:*?"<>|]') { return $false }
    # Names the deploy script keeps for itself.
    if ($Name -ieq 'manifest.json' -or $Name.StartsWith('.aetherv.lock', [StringComparison]::OrdinalIgnoreCase) -or
        $Name.StartsWith('.staging-', [StringComparison]::OrdinalIgnoreCase)) { return $false }
    return $true
}

function Read-AvManifestText {
    param([string]$Text)
    # Parses and checks a manifest.json; returns Valid, Error, Digest (as claimed), Version, Entries.
    $r = @{ Valid = $false; Error = $null; Digest = $null; Version = $null; Entries = @() }
    try { $doc = ConvertFrom-AvJson $Text }
    catch { $r.Error = 'manifest.json is not valid JSON'; return $r }
    $claimed = Get-AvProperty $doc 'digest'
    if ($claimed -is [string]) { $r.Digest = $claimed }
    $schema = Get-AvProperty $doc 'schema'
    if (-not ($schema -is [int] -or $schema -is [long]) -or $schema -ne 1) { $r.Error = 'manifest.json has an unknown schema (expected 1)'; return $r }
    $version = Get-AvProperty $doc 'version'
    if ($version -isnot [string] -or $version.Trim().Length -eq 0) { $r.Error = 'manifest.json has no version'; return $r }
    $r.Version = $version
    if ($claimed -isnot [string] -or $claimed -notmatch '^[0-9a-f]{64}$') { $r.Error = 'manifest.json has no valid digest'; return $r }
    $files = Get-AvProperty $doc 'files'
    if ($null -eq $files -or $files -isnot [array]) { $r.Error = 'manifest.json has no files list'; return $r }
    $keys = New-Object System.Collections.Generic.List[string]
    $entries = New-Object System.Collections.Generic.List[object]
    $seen = New-Object 'System.Collections.Generic.HashSet[string]' -ArgumentList ([StringComparer]::OrdinalIgnoreCase)
    foreach ($f in $files) {
        $name = Get-AvProperty $f 'name'
        $size = Get-AvProperty $f 'size'
        $sha = Get-AvProperty $f 'sha256'
        if (-not (Test-AvEntryName $name)) { $r.Error = "manifest.json names an invalid file: $name"; return $r }
        if (-not ($size -is [int] -or $size -is [long]) -or $size -lt 0) { $r.Error = "manifest.json has an invalid size for $name"; return $r }
        if ($sha -isnot [string] -or $sha -cnotmatch '^[0-9a-f]{64}$') { $r.Error = "manifest.json has an invalid sha256 for $name"; return $r }
        if (-not $seen.Add($name)) { $r.Error = "manifest.json lists $name twice (names are case-insensitive on Windows)"; return $r }
        # Sorting by the hex of the UTF-8 bytes orders exactly like the bytes themselves.
        $utf8 = [System.Text.Encoding]::UTF8.GetBytes($name)
        $keys.Add([System.BitConverter]::ToString($utf8).Replace('-', '').ToLowerInvariant())
        $entries.Add(@{ Name = $name; Size = [long]$size; Sha256 = $sha })
    }
    $keyArray = $keys.ToArray()
    $entryArray = $entries.ToArray()
    [Array]::Sort($keyArray, $entryArray, [StringComparer]::Ordinal)
    $sb = New-Object System.Text.StringBuilder
    foreach ($e in $entryArray) {
        [void]$sb.Append($e.Name).Append("`t").Append($e.Size.ToString([Globalization.CultureInfo]::InvariantCulture)).Append("`t").Append($e.Sha256).Append("`n")
    }
    $computed = Get-AvSha256Hex ([System.Text.Encoding]::UTF8.GetBytes($sb.ToString()))
    if ($computed -ne $claimed) { $r.Error = "manifest.json digest does not match its entries (claimed $claimed, computed $computed)"; return $r }
    $r.Entries = $entryArray
    $r.Valid = $true
    return $r
}

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
