# AvRemoteCommon.ps1: helpers shared by every remote script in resources/powershell.
#
# This file is never sent to a host on its own. At build time cmake/AssembleRemoteScript.cmake
# splices it, verbatim, in place of the include marker line of each top-level remote script, so
# that every script still reaches the host as ONE self-contained text (the console runs it as
# `& ([scriptblock]::Create($text)) -ParametersJson $json`). The Qt resource :/powershell/<name>.ps1
# and the Pester tests both use the assembled scripts.
#
# Rules for this file: function definitions only (nothing runs when it is spliced in), no include
# markers of its own, and valid for Windows PowerShell 5.1 and PowerShell 7 alike (no ??, ?.,
# ternary, && or ||; only .NET Framework 4.5 APIs). The functions may use $Av, the hashtable each
# script defines before the marker (Write-AvLine reads $Av.Cmdlet).

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

function Read-AvLock {
    param([string]$Path)
    # The lock file as found: $null when absent; Valid is false for a file that is not a lock.
    if (-not [System.IO.File]::Exists($Path)) { return $null }
    $info = New-Object System.IO.FileInfo -ArgumentList $Path
    $r = @{ Raw = $null; Valid = $false; Owner = $null; Token = $null; ExpiresUtc = $null; LastWriteUtc = $info.LastWriteTimeUtc }
    try { $r.Raw = [System.IO.File]::ReadAllBytes($Path) }
    catch [System.IO.FileNotFoundException] { return $null }
    try {
        $doc = ConvertFrom-AvJson ([System.Text.Encoding]::UTF8.GetString($r.Raw))
        $owner = Get-AvProperty $doc 'owner'
        $expires = Get-AvProperty $doc 'expiresUtc'
        $parsed = [DateTime]::MinValue
        if ($expires -is [DateTime]) { $parsed = $expires.ToUniversalTime(); $ok = $true }
        else {
            $styles = [Globalization.DateTimeStyles]::AssumeUniversal -bor [Globalization.DateTimeStyles]::AdjustToUniversal
            $ok = ($expires -is [string]) -and [DateTime]::TryParse($expires, [Globalization.CultureInfo]::InvariantCulture, $styles, [ref]$parsed)
        }
        if ($owner -is [string] -and $ok) {
            $r.Owner = $owner
            $r.ExpiresUtc = $parsed
            $token = Get-AvProperty $doc 'token'
            if ($token -is [string]) { $r.Token = $token }
            $r.Valid = $true
        }
    }
    catch { $r.Valid = $false }
    return $r
}

function Format-AvUtc {
    param([DateTime]$Value)
    return $Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [Globalization.CultureInfo]::InvariantCulture)
}
