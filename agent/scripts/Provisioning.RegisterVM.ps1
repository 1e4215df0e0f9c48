#requires -Version 5.1

<#
.SYNOPSIS
    Creates and configures a Hyper-V VM around a prepared disk and provisioning ISO.

.DESCRIPTION
    Checks everything first (name free, switch present, disk and ISO present, memory sizes
    consistent), then: New-VM (generation, startup memory, the disk, the VM folder, one network
    adapter on the switch), Set-VMProcessor, Set-VMMemory (static or dynamic), the adapter's
    access VLAN, a DVD drive with the ISO, firmware (generation 2: Secure Boot template for the
    guest OS, boot from disk first; generation 1: BIOS boot order), notes, and optionally
    Start-VM. If configuring fails after New-VM the half-made VM is removed again (the disk and
    the ISO stay); if only Start-VM fails the configured VM is kept and the failure reported.

.PARAMETER VMName
    Name of the new VM. Must not exist yet.
.PARAMETER VMRootPath
    Folder that receives the VM folder (configuration under <VMRootPath>\<VMName>).
    Default: the host's VirtualMachinePath.
.PARAMETER Generation
    1 or 2 (default 2).
.PARAMETER ProcessorCount
    Virtual processors.
.PARAMETER MemoryStartupMB
    Startup memory in MiB (the fixed amount when memory is static).
.PARAMETER DynamicMemory
    Enables dynamic memory between MemoryMinimumMB and MemoryMaximumMB.
.PARAMETER MemoryMinimumMB
    Dynamic memory minimum (default: MemoryStartupMB).
.PARAMETER MemoryMaximumMB
    Dynamic memory maximum (default: MemoryStartupMB).
.PARAMETER SwitchName
    Virtual switch the network adapter connects to.
.PARAMETER VlanId
    Access VLAN of the adapter (1-4094); 0 or absent leaves the adapter untagged.
.PARAMETER VhdPath
    The VM's disk (from Provisioning.CopyImage.ps1).
.PARAMETER IsoPath
    The provisioning ISO (from Provisioning.CopyProvisioningISO.ps1).
.PARAMETER OperatingSystem
    windows or linux: selects the Secure Boot template on generation 2.
.PARAMETER Start
    Starts the VM once configured.
.PARAMETER Notes
    Text stored in the VM's notes.

.OUTPUTS
    JSON lines. Result data: vmName, vmId, generation, path, steps (names of the completed
    configuration steps), started. Error codes: InvalidArgument, VMExists, SwitchNotFound,
    DiskNotFound, IsoNotFound, ConfigurationFailed (details: failedStep, completedSteps,
    rolledBack), StartFailed (the VM is kept).

.EXAMPLE
    .\Provisioning.RegisterVM.ps1 -VMName web-01 -ProcessorCount 2 -MemoryStartupMB 4096 -SwitchName LAN -VhdPath 'D:\VMs\web-01\Virtual Hard Disks\web-01.vhdx' -IsoPath D:\VMs\web-01\WindowsProvisioning.iso -OperatingSystem windows -Start
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$VMName,
    [string]$VMRootPath,
    [ValidateSet(1, 2)][int]$Generation = 2,
    [Parameter(Mandatory = $true)][ValidateRange(1, 240)][int]$ProcessorCount,
    [Parameter(Mandatory = $true)][ValidateRange(32, 12582912)][long]$MemoryStartupMB,
    [switch]$DynamicMemory,
    [long]$MemoryMinimumMB = 0,
    [long]$MemoryMaximumMB = 0,
    [Parameter(Mandatory = $true)][string]$SwitchName,
    [ValidateRange(0, 4094)][int]$VlanId = 0,
    [Parameter(Mandatory = $true)][string]$VhdPath,
    [Parameter(Mandatory = $true)][string]$IsoPath,
    [Parameter(Mandatory = $true)][ValidateSet('windows', 'linux')][string]$OperatingSystem,
    [switch]$Start,
    [string]$Notes = ''
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
. (Join-Path $PSScriptRoot 'AetherV.Agent.Common.ps1')

Invoke-AgentScript -Name 'Provisioning.RegisterVM' -Body {
    # --- checks: nothing changes before all of them pass ------------------------------------
    if ($VMName -notmatch '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$') {
        throw (New-AgentError -Code 'InvalidArgument' -Message ("VM name '{0}' is not usable as a folder name." -f $VMName))
    }
    if ($MemoryMinimumMB -eq 0) { $MemoryMinimumMB = $MemoryStartupMB }
    if ($MemoryMaximumMB -eq 0) { $MemoryMaximumMB = $MemoryStartupMB }
    if ($DynamicMemory -and -not ($MemoryMinimumMB -le $MemoryStartupMB -and $MemoryStartupMB -le $MemoryMaximumMB)) {
        throw (New-AgentError -Code 'InvalidArgument' -Message ("Dynamic memory needs minimum <= startup <= maximum (got {0} / {1} / {2} MB)." -f $MemoryMinimumMB, $MemoryStartupMB, $MemoryMaximumMB))
    }
    if (-not $VMRootPath) { $VMRootPath = Get-AgentDefaultVmRoot }
    $existing = @(Get-VM -Name $VMName -ErrorAction SilentlyContinue)
    if ($existing.Count -gt 0) {
        throw (New-AgentError -Code 'VMExists' -Message ("A virtual machine named '{0}' already exists." -f $VMName))
    }
    $switch = @(Get-VMSwitch -Name $SwitchName -ErrorAction SilentlyContinue)
    if ($switch.Count -eq 0) {
        throw (New-AgentError -Code 'SwitchNotFound' -Message ("There is no virtual switch named '{0}' on this host." -f $SwitchName))
    }
    if (-not (Test-Path -LiteralPath $VhdPath -PathType Leaf)) {
        throw (New-AgentError -Code 'DiskNotFound' -Message ("The VM disk '{0}' does not exist; run Provisioning.CopyImage.ps1 first." -f $VhdPath))
    }
    if (-not (Test-Path -LiteralPath $IsoPath -PathType Leaf)) {
        throw (New-AgentError -Code 'IsoNotFound' -Message ("The provisioning ISO '{0}' does not exist; run Provisioning.CopyProvisioningISO.ps1 first." -f $IsoPath))
    }

    # --- create -------------------------------------------------------------------------------
    Write-AgentProgress -Stage 'create' -Message ("Creating generation {0} VM '{1}'" -f $Generation, $VMName)
    $vm = New-VM -Name $VMName -Generation $Generation -MemoryStartupBytes ($MemoryStartupMB * 1MB) -VHDPath $VhdPath -Path $VMRootPath -SwitchName $SwitchName -ErrorAction Stop
    $completed = New-Object System.Collections.ArrayList
    [void]$completed.Add('create')
    $current = ''
    try {
        $current = 'processor'
        Set-VMProcessor -VM $vm -Count $ProcessorCount -ErrorAction Stop
        [void]$completed.Add($current)

        $current = 'memory'
        if ($DynamicMemory) {
            Set-VMMemory -VM $vm -DynamicMemoryEnabled $true -StartupBytes ($MemoryStartupMB * 1MB) -MinimumBytes ($MemoryMinimumMB * 1MB) -MaximumBytes ($MemoryMaximumMB * 1MB) -ErrorAction Stop
        } else {
            Set-VMMemory -VM $vm -DynamicMemoryEnabled $false -StartupBytes ($MemoryStartupMB * 1MB) -ErrorAction Stop
        }
        [void]$completed.Add($current)

        if ($VlanId -gt 0) {
            $current = 'vlan'
            $adapters = @(Get-VMNetworkAdapter -VM $vm -ErrorAction Stop)
            if ($adapters.Count -eq 0) { throw (New-AgentError -Code 'ConfigurationFailed' -Message 'The new VM has no network adapter to tag.') }
            Set-VMNetworkAdapterVlan -VMNetworkAdapter $adapters[0] -Access -VlanId $VlanId -ErrorAction Stop
            [void]$completed.Add($current)
        }

        $current = 'dvd'
        Add-VMDvdDrive -VM $vm -Path $IsoPath -ErrorAction Stop
        [void]$completed.Add($current)

        $current = 'firmware'
        if ($Generation -eq 2) {
            $template = 'MicrosoftWindows'
            if ($OperatingSystem -eq 'linux') { $template = 'MicrosoftUEFICertificateAuthority' }
            $disk = @(Get-VMHardDiskDrive -VM $vm -ErrorAction Stop)
            if ($disk.Count -eq 0) { throw (New-AgentError -Code 'ConfigurationFailed' -Message 'The new VM has no hard disk drive.') }
            Set-VMFirmware -VM $vm -EnableSecureBoot On -SecureBootTemplate $template -FirstBootDevice $disk[0] -ErrorAction Stop
        } else {
            Set-VMBios -VM $vm -StartupOrder @('IDE', 'CD', 'LegacyNetworkAdapter', 'Floppy') -ErrorAction Stop
        }
        [void]$completed.Add($current)

        if ($Notes) {
            $current = 'notes'
            Set-VM -VM $vm -Notes $Notes -ErrorAction Stop
            [void]$completed.Add($current)
        }
    } catch {
        $reason = $_.Exception.Message
        $rolledBack = $false
        try {
            Remove-VM -VM $vm -Force -ErrorAction Stop
            $rolledBack = $true
        } catch {
            $reason = $reason + (' (removing the half-made VM failed too: {0})' -f $_.Exception.Message)
        }
        $details = [ordered]@{ failedStep = $current; completedSteps = @($completed); rolledBack = $rolledBack }
        throw (New-AgentError -Code 'ConfigurationFailed' -Message ("Configuring VM '{0}' failed at step '{1}': {2}" -f $VMName, $current, $reason) -Details $details)
    }

    $data = [ordered]@{
        vmName     = $VMName
        vmId       = [string]$vm.Id
        generation = $Generation
        path       = (Get-AgentVmFolder -VMRootPath $VMRootPath -VMName $VMName)
        steps      = @($completed)
        started    = $false
    }
    if ($Start) {
        Write-AgentProgress -Stage 'start' -Message ("Starting VM '{0}'" -f $VMName)
        try {
            Start-VM -VM $vm -ErrorAction Stop
        } catch {
            throw (New-AgentError -Code 'StartFailed' -Message ("VM '{0}' is configured but did not start: {1}" -f $VMName, $_.Exception.Message) -Data $data)
        }
        $data['started'] = $true
    }
    $data
}
exit $script:AgentExitCode
