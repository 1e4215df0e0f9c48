#requires -Version 5.1

<#
.SYNOPSIS
    Collects the Hyper-V host's inventory as one JSON result.

.DESCRIPTION
    Reports the host name, operating system, processors, memory, whether Hyper-V is usable, the
    VMs (name, id, state, generation, processors, memory, disks, uptime), the virtual switches,
    the host's default VM and disk paths, and the agent version installed beside this script.
    Each section is collected on its own: a section that fails leaves a message in "warnings"
    and the rest is still reported. Without the Hyper-V PowerShell module, hyperV.available is
    false, hyperV.reason says why, and vms/switches are empty lists.

.PARAMETER SkipVMs
    Leaves out the per-VM details (faster on hosts with many VMs).

.OUTPUTS
    JSON lines: one result. Data: collectedAt, hostName, os {caption, version, buildNumber},
    cpu {model, sockets, cores, logicalProcessors}, memory {totalBytes, freeBytes},
    hyperV {available, reason, version}, defaults {virtualMachinePath, virtualHardDiskPath},
    vms[], switches[], agentVersion, warnings[].

.EXAMPLE
    .\Inventory.Collect.ps1
#>
[CmdletBinding()]
param(
    [switch]$SkipVMs
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
. (Join-Path $PSScriptRoot 'AetherV.Agent.Common.ps1')

function Get-OptionalProperty {
    param($Object, [string]$Name)
    if ($null -eq $Object) { return $null }
    $property = $Object.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    return $property.Value
}

function ConvertTo-VmRecord {
    param($VM)
    $disks = New-Object System.Collections.ArrayList
    foreach ($drive in @(Get-VMHardDiskDrive -VM $VM -ErrorAction Stop)) {
        [void]$disks.Add([ordered]@{
                path               = [string]$drive.Path
                controllerType     = [string]$drive.ControllerType
                controllerNumber   = Get-OptionalProperty $drive 'ControllerNumber'
                controllerLocation = Get-OptionalProperty $drive 'ControllerLocation'
            })
    }
    $uptime = Get-OptionalProperty $VM 'Uptime'
    $uptimeSeconds = 0
    if ($null -ne $uptime) { $uptimeSeconds = [long]([TimeSpan]$uptime).TotalSeconds }
    return [ordered]@{
        name                 = [string]$VM.Name
        id                   = [string]$VM.Id
        state                = [string]$VM.State
        generation           = Get-OptionalProperty $VM 'Generation'
        processorCount       = Get-OptionalProperty $VM 'ProcessorCount'
        memoryStartupBytes   = Get-OptionalProperty $VM 'MemoryStartup'
        memoryAssignedBytes  = Get-OptionalProperty $VM 'MemoryAssigned'
        dynamicMemoryEnabled = Get-OptionalProperty $VM 'DynamicMemoryEnabled'
        uptimeSeconds        = $uptimeSeconds
        path                 = [string](Get-OptionalProperty $VM 'Path')
        disks                = @($disks)
    }
}

Invoke-AgentScript -Name 'Inventory.Collect' -Body {
    $warnings = New-Object System.Collections.ArrayList
    $inventory = [ordered]@{
        collectedAt  = (Get-AgentUtcNow).ToString('yyyy-MM-ddTHH:mm:ssZ', [System.Globalization.CultureInfo]::InvariantCulture)
        hostName     = [System.Environment]::MachineName
        os           = $null
        cpu          = $null
        memory       = $null
        hyperV       = [ordered]@{ available = $false; reason = ''; version = $null }
        defaults     = $null
        vms          = @()
        switches     = @()
        agentVersion = $null
        warnings     = @()
    }

    $operatingSystem = $null
    try {
        $operatingSystem = Get-CimInstance -ClassName 'Win32_OperatingSystem' -ErrorAction Stop
        $inventory['os'] = [ordered]@{
            caption     = [string]$operatingSystem.Caption
            version     = [string]$operatingSystem.Version
            buildNumber = [string]$operatingSystem.BuildNumber
        }
    } catch {
        [void]$warnings.Add(('os: {0}' -f $_.Exception.Message))
    }
    try {
        $processors = @(Get-CimInstance -ClassName 'Win32_Processor' -ErrorAction Stop)
        $cores = 0
        $logical = 0
        foreach ($processor in $processors) {
            $cores += [int]$processor.NumberOfCores
            $logical += [int]$processor.NumberOfLogicalProcessors
        }
        $model = ''
        if ($processors.Count -gt 0) { $model = ([string]$processors[0].Name).Trim() }
        $inventory['cpu'] = [ordered]@{ model = $model; sockets = $processors.Count; cores = $cores; logicalProcessors = $logical }
    } catch {
        [void]$warnings.Add(('cpu: {0}' -f $_.Exception.Message))
    }
    try {
        $computer = Get-CimInstance -ClassName 'Win32_ComputerSystem' -ErrorAction Stop
        $free = $null
        if ($null -ne $operatingSystem) { $free = [long]$operatingSystem.FreePhysicalMemory * 1024 }
        $inventory['memory'] = [ordered]@{ totalBytes = [long]$computer.TotalPhysicalMemory; freeBytes = $free }
        if ($computer.DNSHostName) { $inventory['hostName'] = [string]$computer.DNSHostName }
        if ($computer.PartOfDomain) { $inventory['hostName'] = ('{0}.{1}' -f $inventory['hostName'], $computer.Domain) }
    } catch {
        [void]$warnings.Add(('memory: {0}' -f $_.Exception.Message))
    }

    $module = @(Get-Module -ListAvailable -Name 'Hyper-V' -ErrorAction SilentlyContinue)
    if ($module.Count -eq 0) {
        $inventory['hyperV']['reason'] = 'The Hyper-V PowerShell module is not installed (Install-WindowsFeature Hyper-V-PowerShell, or enable the Hyper-V role).'
    } else {
        try {
            Import-Module -Name 'Hyper-V' -ErrorAction Stop
            $vmHost = Get-VMHost -ErrorAction Stop
            $inventory['hyperV']['available'] = $true
            $inventory['hyperV']['version'] = [string]$module[0].Version
            $inventory['defaults'] = [ordered]@{
                virtualMachinePath  = [string]$vmHost.VirtualMachinePath
                virtualHardDiskPath = [string]$vmHost.VirtualHardDiskPath
            }
        } catch {
            $inventory['hyperV']['reason'] = ('The Hyper-V module is present but not usable: {0}' -f $_.Exception.Message)
        }
    }

    if ($inventory['hyperV']['available']) {
        try {
            $switches = New-Object System.Collections.ArrayList
            foreach ($switch in @(Get-VMSwitch -ErrorAction Stop)) {
                [void]$switches.Add([ordered]@{
                        name             = [string]$switch.Name
                        id               = [string]$switch.Id
                        switchType       = [string]$switch.SwitchType
                        netAdapter       = [string](Get-OptionalProperty $switch 'NetAdapterInterfaceDescription')
                        allowManagementOS = Get-OptionalProperty $switch 'AllowManagementOS'
                    })
            }
            $inventory['switches'] = @($switches)
        } catch {
            [void]$warnings.Add(('switches: {0}' -f $_.Exception.Message))
        }
        if (-not $SkipVMs) {
            try {
                $records = New-Object System.Collections.ArrayList
                foreach ($vm in @(Get-VM -ErrorAction Stop)) {
                    try {
                        [void]$records.Add((ConvertTo-VmRecord -VM $vm))
                    } catch {
                        [void]$warnings.Add(("vm '{0}': {1}" -f $vm.Name, $_.Exception.Message))
                    }
                }
                $inventory['vms'] = @($records)
            } catch {
                [void]$warnings.Add(('vms: {0}' -f $_.Exception.Message))
            }
        }
    }

    $versionFile = Join-Path $PSScriptRoot 'version'
    if (Test-Path -LiteralPath $versionFile -PathType Leaf) {
        $inventory['agentVersion'] = ([string](Get-Content -LiteralPath $versionFile -Raw)).Trim()
    }
    $inventory['warnings'] = @($warnings)
    $inventory
}
exit $script:AgentExitCode
