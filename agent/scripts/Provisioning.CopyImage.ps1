#requires -Version 5.1

<#
.SYNOPSIS
    Copies a golden image (VHDX) into a new VM's folder and verifies the copy.

.DESCRIPTION
    Copies <ImageDirectory>\<ImageName> to <VMRootPath>\<VMName>\Virtual Hard Disks\<VMName>.vhdx.
    The copy is written under a temporary name, its size is compared with the source and its
    SHA-256 (read back from disk) with the source's SHA-256 computed while copying, and with
    -ExpectedSha256 when given; only then is it renamed into place. An existing VM disk is never
    overwritten. Writes JSON lines: progress events and one result.

.PARAMETER ImageName
    File name of the golden image (no folders), e.g. win2022-datacenter.vhdx.
.PARAMETER ImageDirectory
    Folder holding golden images. Default: the host's VirtualHardDiskPath (Get-VMHost).
.PARAMETER VMName
    Name of the VM the disk is for; names the folder and the disk file.
.PARAMETER VMRootPath
    Folder that receives the VM folder. Default: the host's VirtualMachinePath (Get-VMHost).
.PARAMETER ExpectedSha256
    Optional SHA-256 (hex) the image must have.

.OUTPUTS
    JSON lines. Result data: source, destination, sizeBytes, sha256, elapsedSeconds.
    Error codes: InvalidArgument, ImageNotFound, DiskExists, InsufficientSpace, HashMismatch,
    SizeMismatch.

.EXAMPLE
    .\Provisioning.CopyImage.ps1 -ImageName win2022.vhdx -ImageDirectory D:\Images -VMName web-01 -VMRootPath D:\VMs
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$ImageName,
    [string]$ImageDirectory,
    [Parameter(Mandatory = $true)][string]$VMName,
    [string]$VMRootPath,
    [string]$ExpectedSha256
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
. (Join-Path $PSScriptRoot 'AetherV.Agent.Common.ps1')

function Copy-AgentFileWithHash {
    <# Streams Source to Destination in 4 MiB blocks, hashing what it reads; the hex hash goes to
       -Hash, progress lines to the output. #>
    param([string]$Source, [string]$Destination, [long]$Length, [ref]$Hash)
    $bufferSize = 4MB
    $buffer = New-Object byte[] $bufferSize
    $sha = [System.Security.Cryptography.SHA256]::Create()
    $reader = $null
    $writer = $null
    try {
        $reader = New-Object System.IO.FileStream -ArgumentList $Source, ([System.IO.FileMode]::Open), ([System.IO.FileAccess]::Read), ([System.IO.FileShare]::Read), $bufferSize
        $writer = New-Object System.IO.FileStream -ArgumentList $Destination, ([System.IO.FileMode]::CreateNew), ([System.IO.FileAccess]::Write), ([System.IO.FileShare]::None), $bufferSize
        $copied = [long]0
        $lastReported = -1
        while (($read = $reader.Read($buffer, 0, $bufferSize)) -gt 0) {
            [void]$sha.TransformBlock($buffer, 0, $read, $null, 0)
            $writer.Write($buffer, 0, $read)
            $copied += $read
            $percent = 100
            if ($Length -gt 0) { $percent = [int][Math]::Floor(($copied * 100.0) / $Length) }
            if ($percent -ge $lastReported + 10) {
                $lastReported = $percent - ($percent % 10)
                Write-AgentProgress -Stage 'copy' -Percent $percent -Message ("Copied {0} of {1} bytes" -f $copied, $Length)
            }
        }
        [void]$sha.TransformFinalBlock($buffer, 0, 0)
        $writer.Flush()
    } finally {
        if ($null -ne $writer) { $writer.Dispose() }
        if ($null -ne $reader) { $reader.Dispose() }
    }
    $Hash.Value = ([System.BitConverter]::ToString($sha.Hash)).Replace('-', '')
    $sha.Dispose()
}

Invoke-AgentScript -Name 'Provisioning.CopyImage' -Body {
    $started = Get-AgentUtcNow
    if ($ImageName -ne [System.IO.Path]::GetFileName($ImageName) -or $ImageName -match '[\\/:]' -or $ImageName -notmatch '\.vhdx$') {
        throw (New-AgentError -Code 'InvalidArgument' -Message ("Image name '{0}' must be a plain .vhdx file name without folders." -f $ImageName))
    }
    if ($VMName -notmatch '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$') {
        throw (New-AgentError -Code 'InvalidArgument' -Message ("VM name '{0}' is not usable as a folder name." -f $VMName))
    }
    if ($ExpectedSha256 -and $ExpectedSha256 -notmatch '^[0-9A-Fa-f]{64}$') {
        throw (New-AgentError -Code 'InvalidArgument' -Message 'ExpectedSha256 must be 64 hexadecimal digits.')
    }
    if (-not $ImageDirectory) {
        $ImageDirectory = [string](Get-VMHost -ErrorAction Stop).VirtualHardDiskPath
    }
    if (-not $VMRootPath) { $VMRootPath = Get-AgentDefaultVmRoot }

    $source = Join-Path $ImageDirectory $ImageName
    if (-not (Test-Path -LiteralPath $source -PathType Leaf)) {
        throw (New-AgentError -Code 'ImageNotFound' -Message ("Golden image '{0}' does not exist." -f $source))
    }
    $diskFolder = Join-Path (Get-AgentVmFolder -VMRootPath $VMRootPath -VMName $VMName) 'Virtual Hard Disks'
    $destination = Join-Path $diskFolder ($VMName + '.vhdx')
    if (Test-Path -LiteralPath $destination) {
        throw (New-AgentError -Code 'DiskExists' -Message ("'{0}' already exists; refusing to overwrite a VM disk." -f $destination))
    }
    $length = (Get-Item -LiteralPath $source).Length

    if (-not (Test-Path -LiteralPath $diskFolder)) { [void](New-Item -ItemType Directory -Path $diskFolder -Force) }
    $free = $null
    try {
        $root = [System.IO.Path]::GetPathRoot((Resolve-Path -LiteralPath $diskFolder).ProviderPath)
        if ($root -and -not $root.StartsWith('\\')) { $free = (New-Object System.IO.DriveInfo -ArgumentList $root).AvailableFreeSpace }
    } catch {
        $free = $null
    }
    if ($null -ne $free -and $free -lt $length) {
        throw (New-AgentError -Code 'InsufficientSpace' -Message ("The image needs {0} bytes but only {1} bytes are free at '{2}'." -f $length, $free, $diskFolder))
    }

    $partial = $destination + '.partial'
    if (Test-Path -LiteralPath $partial) { Remove-Item -LiteralPath $partial -Force }
    Write-AgentProgress -Stage 'copy' -Percent 0 -Message ("Copying '{0}' to '{1}'" -f $source, $destination)
    $finished = $false
    try {
        $sourceHash = ''
        Copy-AgentFileWithHash -Source $source -Destination $partial -Length $length -Hash ([ref]$sourceHash)
        if ($ExpectedSha256 -and $sourceHash -ne $ExpectedSha256.ToUpperInvariant()) {
            throw (New-AgentError -Code 'HashMismatch' -Message ("Golden image '{0}' has SHA-256 {1}, expected {2}." -f $source, $sourceHash, $ExpectedSha256.ToUpperInvariant()))
        }
        $copiedLength = (Get-Item -LiteralPath $partial).Length
        if ($copiedLength -ne $length) {
            throw (New-AgentError -Code 'SizeMismatch' -Message ("The copy has {0} bytes, the image {1}." -f $copiedLength, $length))
        }
        Write-AgentProgress -Stage 'verify' -Message 'Verifying the copy (SHA-256)'
        $copyHash = (Get-FileHash -LiteralPath $partial -Algorithm SHA256).Hash
        if ($copyHash -ne $sourceHash) {
            throw (New-AgentError -Code 'HashMismatch' -Message ("The copy has SHA-256 {0}, the image {1}." -f $copyHash, $sourceHash))
        }
        if (Test-Path -LiteralPath $destination) {
            throw (New-AgentError -Code 'DiskExists' -Message ("'{0}' appeared while copying; refusing to overwrite it." -f $destination))
        }
        Move-Item -LiteralPath $partial -Destination $destination
        $finished = $true
    } finally {
        if (-not $finished -and (Test-Path -LiteralPath $partial)) { Remove-Item -LiteralPath $partial -Force -ErrorAction SilentlyContinue }
    }

    [ordered]@{
        source         = $source
        destination    = $destination
        sizeBytes      = $length
        sha256         = $sourceHash
        elapsedSeconds = [Math]::Round(((Get-AgentUtcNow) - $started).TotalSeconds, 1)
    }
}
exit $script:AgentExitCode
