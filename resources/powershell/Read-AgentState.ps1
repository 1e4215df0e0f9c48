<#
.SYNOPSIS
    Reports what an Aether-V install directory holds, in one remote call: raw version bytes, the
    deployed manifest digest, legacy version files, the deploy lock and the computer name.
.DESCRIPTION
    Read-only: nothing on the host is created, changed or removed. Writes JSON lines to stdout and
    exactly one {"event":"result"} line last (see docs in resources/powershell and the remote
    script contract). Runs on Windows PowerShell 5.1 and PowerShell 7.
#>
[CmdletBinding()]
param([Parameter(Mandatory = $true)][string]$ParametersJson)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$Av = @{ Cmdlet = $PSCmdlet }

#AETHERV-INCLUDE AvRemoteCommon.ps1

# ---- Read-AgentState ----

function Read-AvTextFile {
    param([string]$Path)
    if (-not [System.IO.File]::Exists($Path)) { return $null }
    return (ConvertFrom-AvTextBytes ([System.IO.File]::ReadAllBytes($Path))).Replace([string][char]0, '').Trim()
}

function Invoke-AvReadState {
    $params = $null
    try { $params = ConvertFrom-AvJson $ParametersJson }
    catch { throw (New-AvFailure 'bad-parameters' 'ParametersJson is not valid JSON: pass {"installDirectory": "..."}') }
    $dir = Resolve-AvInstallDirectory (Get-AvProperty $params 'installDirectory')
    $Av.Result.installDirectory = $dir
    $exists = [System.IO.Directory]::Exists($dir)
    $Av.Result.installDirectoryExists = $exists

    $versionPath = [System.IO.Path]::Combine($dir, 'version')
    if ($exists -and [System.IO.File]::Exists($versionPath)) {
        $limit = 65536
        $fs = [System.IO.FileStream]::new($versionPath, [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read, [System.IO.FileShare]::ReadWrite)
        try {
            $size = $fs.Length
            $buffer = New-Object byte[] ([int][Math]::Min($size, [long]$limit))
            $read = 0
            while ($read -lt $buffer.Length) {
                $n = $fs.Read($buffer, $read, $buffer.Length - $read)
                if ($n -le 0) { break }
                $read += $n
            }
        }
        finally { $fs.Dispose() }
        $Av.Result.version = [ordered]@{
            exists    = $true
            base64    = [Convert]::ToBase64String($buffer, 0, $read)
            size      = [long]$size
            truncated = ($size -gt $limit)
        }
    }

    $manifestPath = [System.IO.Path]::Combine($dir, 'manifest.json')
    if ($exists -and [System.IO.File]::Exists($manifestPath)) {
        $m = Read-AvManifestText (ConvertFrom-AvTextBytes ([System.IO.File]::ReadAllBytes($manifestPath)))
        $Av.Result.manifest = [ordered]@{ exists = $true; digest = $m.Digest; valid = $m.Valid; error = $m.Error }
    }

    if ($exists) {
        $Av.Result.legacy.scriptsversion = Read-AvTextFile ([System.IO.Path]::Combine($dir, 'scriptsversion'))
        $Av.Result.legacy.isosversion = Read-AvTextFile ([System.IO.Path]::Combine($dir, 'isosversion'))
        $lock = Read-AvLock ([System.IO.Path]::Combine($dir, '.aetherv.lock'))
        if ($null -ne $lock) {
            if ($lock.Valid) {
                $Av.Result.lock = [ordered]@{
                    owner      = $lock.Owner
                    expiresUtc = Format-AvUtc $lock.ExpiresUtc
                    expired    = ($lock.ExpiresUtc -le [DateTime]::UtcNow)
                }
            }
            else {
                $Av.Result.lock = [ordered]@{ owner = $null; expiresUtc = $null; expired = $false; unreadable = $true }
            }
        }
        # A staging folder with an activation journal but no commit mark: the next deploy rolls it back.
        foreach ($staging in [System.IO.Directory]::GetDirectories($dir, '.staging-*')) {
            if ([System.IO.File]::Exists([System.IO.Path]::Combine($staging, 'journal.json')) -and
                -not [System.IO.File]::Exists([System.IO.Path]::Combine($staging, 'committed'))) {
                $Av.Result.pendingRecovery = $true
            }
        }
    }
    $Av.Result.outcome = 'ok'
}

$computer = $env:COMPUTERNAME
if ([string]::IsNullOrEmpty($computer)) { $computer = [Environment]::MachineName }
$Av.Result = [ordered]@{
    event                  = 'result'
    outcome                = 'failed'
    installDirectoryExists = $false
    version                = [ordered]@{ exists = $false; base64 = $null; size = 0; truncated = $false }
    manifest               = [ordered]@{ exists = $false; digest = $null; valid = $false; error = $null }
    legacy                 = [ordered]@{ scriptsversion = $null; isosversion = $null }
    lock                   = $null
    pendingRecovery        = $false
    computerName           = [string]$computer
    installDirectory       = $null
    error                  = $null
    code                   = $null
}
try {
    $null = Invoke-AvReadState
}
catch {
    $code = $_.Exception.Data['AvCode']
    if ($null -eq $code) { $code = 'read-failed' }
    $Av.Result.outcome = 'failed'
    $Av.Result.code = [string]$code
    $Av.Result.error = 'Reading the install directory failed: ' + (Get-AvErrorMessage $_.Exception) + '. Check the path and that the account may read it.'
    if ($code -eq 'bad-parameters') { $Av.Result.error = Get-AvErrorMessage $_.Exception }
}
Write-AvLine $Av.Result
