#requires -Version 5.1

<#
.SYNOPSIS
    Stages WindowsProvisioning.iso or LinuxProvisioning.iso beside a VM.

.DESCRIPTION
    Copies the provisioning ISO for the guest's operating system from the agent install folder
    (the folder of this script, so any install directory works) into <VMRootPath>\<VMName>\.
    A copy that is already there with the same SHA-256 is kept; a different one is replaced.
    The copy is verified (size and SHA-256) before it is moved into place.

.PARAMETER OperatingSystem
    windows or linux: selects WindowsProvisioning.iso or LinuxProvisioning.iso.
.PARAMETER VMName
    Name of the VM (its folder under VMRootPath).
.PARAMETER VMRootPath
    Folder holding the VM folder. Default: the host's VirtualMachinePath (Get-VMHost).
.PARAMETER SourceDirectory
    Folder holding the ISOs. Default: the folder of this script.

.OUTPUTS
    JSON lines. Result data: source, destination, sizeBytes, sha256, reused.
    Error codes: InvalidArgument, IsoNotFound, HashMismatch.

.EXAMPLE
    .\Provisioning.CopyProvisioningISO.ps1 -OperatingSystem linux -VMName web-01 -VMRootPath D:\VMs
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][ValidateSet('windows', 'linux')][string]$OperatingSystem,
    [Parameter(Mandatory = $true)][string]$VMName,
    [string]$VMRootPath,
    [string]$SourceDirectory
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
. (Join-Path $PSScriptRoot 'AetherV.Agent.Common.ps1')

Invoke-AgentScript -Name 'Provisioning.CopyProvisioningISO' -Body {
    if ($VMName -notmatch '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$') {
        throw (New-AgentError -Code 'InvalidArgument' -Message ("VM name '{0}' is not usable as a folder name." -f $VMName))
    }
    if (-not $SourceDirectory) { $SourceDirectory = $PSScriptRoot }
    if (-not $VMRootPath) { $VMRootPath = Get-AgentDefaultVmRoot }
    $isoName = 'WindowsProvisioning.iso'
    if ($OperatingSystem -eq 'linux') { $isoName = 'LinuxProvisioning.iso' }

    $source = Join-Path $SourceDirectory $isoName
    if (-not (Test-Path -LiteralPath $source -PathType Leaf)) {
        throw (New-AgentError -Code 'IsoNotFound' -Message ("'{0}' is missing: deploy the agent bundle to this host first." -f $source))
    }
    $vmFolder = Get-AgentVmFolder -VMRootPath $VMRootPath -VMName $VMName
    $destination = Join-Path $vmFolder $isoName
    $sourceHash = (Get-FileHash -LiteralPath $source -Algorithm SHA256).Hash
    $length = (Get-Item -LiteralPath $source).Length

    $reused = $false
    if (Test-Path -LiteralPath $destination -PathType Leaf) {
        $existingHash = (Get-FileHash -LiteralPath $destination -Algorithm SHA256).Hash
        if ($existingHash -eq $sourceHash) {
            $reused = $true
            Write-AgentProgress -Stage 'copy' -Message ("'{0}' is already staged" -f $destination)
        }
    }
    if (-not $reused) {
        if (-not (Test-Path -LiteralPath $vmFolder)) { [void](New-Item -ItemType Directory -Path $vmFolder -Force) }
        $partial = $destination + '.partial'
        Write-AgentProgress -Stage 'copy' -Message ("Copying '{0}' to '{1}'" -f $source, $destination)
        try {
            Copy-Item -LiteralPath $source -Destination $partial -Force
            $copyHash = (Get-FileHash -LiteralPath $partial -Algorithm SHA256).Hash
            $copyLength = (Get-Item -LiteralPath $partial).Length
            if ($copyHash -ne $sourceHash -or $copyLength -ne $length) {
                throw (New-AgentError -Code 'HashMismatch' -Message ("The staged copy of {0} does not match the source (SHA-256 {1}, expected {2})." -f $isoName, $copyHash, $sourceHash))
            }
            Move-Item -LiteralPath $partial -Destination $destination -Force
        } finally {
            if (Test-Path -LiteralPath $partial) { Remove-Item -LiteralPath $partial -Force -ErrorAction SilentlyContinue }
        }
    }

    [ordered]@{
        source      = $source
        destination = $destination
        sizeBytes   = $length
        sha256      = $sourceHash
        reused      = $reused
    }
}
exit $script:AgentExitCode
