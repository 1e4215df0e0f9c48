# Empty stand-ins for the Hyper-V, CIM and Windows cmdlets the agent scripts call, with the real
# cmdlets' parameter names, so Pester's Mock can bind to them on Linux. Every stand-in fails
# when a test forgets to mock it, so no call can pass unnoticed.
function Stop-Unmocked { param([string]$Name) throw ("{0} was called without a mock" -f $Name) }

function global:Get-VM { [CmdletBinding()] param([string[]]$Name, [guid[]]$Id, [string[]]$ComputerName) Stop-Unmocked 'Get-VM' }
function global:New-VM {
    [CmdletBinding()] param([string]$Name, [int16]$Generation, [long]$MemoryStartupBytes, [string]$VHDPath, [string]$NewVHDPath,
        [long]$NewVHDSizeBytes, [switch]$NoVHD, [string]$Path, [string]$SwitchName, [string]$BootDevice, [string]$Version, [switch]$Force)
    Stop-Unmocked 'New-VM'
}
function global:Set-VMProcessor { [CmdletBinding()] param([object[]]$VM, [string[]]$VMName, [long]$Count) Stop-Unmocked 'Set-VMProcessor' }
function global:Set-VMMemory {
    [CmdletBinding()] param([object[]]$VM, [string[]]$VMName, [bool]$DynamicMemoryEnabled, [long]$StartupBytes, [long]$MinimumBytes, [long]$MaximumBytes)
    Stop-Unmocked 'Set-VMMemory'
}
function global:Get-VMNetworkAdapter { [CmdletBinding()] param([object[]]$VM, [string[]]$VMName, [string]$Name) Stop-Unmocked 'Get-VMNetworkAdapter' }
function global:Set-VMNetworkAdapterVlan {
    [CmdletBinding()] param([object[]]$VMNetworkAdapter, [string[]]$VMName, [switch]$Access, [int]$VlanId, [switch]$Untagged)
    Stop-Unmocked 'Set-VMNetworkAdapterVlan'
}
function global:Add-VMDvdDrive { [CmdletBinding()] param([object[]]$VM, [string[]]$VMName, [string]$Path, [int]$ControllerNumber, [int]$ControllerLocation) Stop-Unmocked 'Add-VMDvdDrive' }
function global:Get-VMHardDiskDrive { [CmdletBinding()] param([object[]]$VM, [string[]]$VMName) Stop-Unmocked 'Get-VMHardDiskDrive' }
function global:Set-VMFirmware {
    [CmdletBinding()] param([object[]]$VM, [string[]]$VMName, [string]$EnableSecureBoot, [string]$SecureBootTemplate, [object]$FirstBootDevice)
    Stop-Unmocked 'Set-VMFirmware'
}
function global:Set-VMBios { [CmdletBinding()] param([object[]]$VM, [string[]]$VMName, [string[]]$StartupOrder) Stop-Unmocked 'Set-VMBios' }
function global:Set-VM { [CmdletBinding()] param([object[]]$VM, [string[]]$Name, [string]$Notes) Stop-Unmocked 'Set-VM' }
function global:Start-VM { [CmdletBinding()] param([object[]]$VM, [string[]]$Name) Stop-Unmocked 'Start-VM' }
function global:Remove-VM { [CmdletBinding()] param([object[]]$VM, [string[]]$Name, [switch]$Force) Stop-Unmocked 'Remove-VM' }
function global:Get-VMSwitch { [CmdletBinding()] param([string[]]$Name, [string]$SwitchType) Stop-Unmocked 'Get-VMSwitch' }
function global:Get-VMHost { [CmdletBinding()] param([string[]]$ComputerName) Stop-Unmocked 'Get-VMHost' }
function global:Get-CimInstance {
    [CmdletBinding()] param([string]$ClassName, [string]$Namespace, [string]$Filter, [object]$InputObject, [string]$Query)
    Stop-Unmocked 'Get-CimInstance'
}
function global:Get-CimAssociatedInstance {
    [CmdletBinding()] param([object]$InputObject, [string]$ResultClassName, [string]$Association, [string]$Namespace)
    Stop-Unmocked 'Get-CimAssociatedInstance'
}
function global:Invoke-CimMethod {
    [CmdletBinding()] param([object]$InputObject, [string]$MethodName, [System.Collections.IDictionary]$Arguments, [string]$ClassName, [string]$Namespace)
    Stop-Unmocked 'Invoke-CimMethod'
}

# Builders of fake CIM objects.
function New-FakeKvpXml { param([string]$Name, [string]$Data) "<INSTANCE CLASSNAME=`"Msvm_KvpExchangeDataItem`"><PROPERTY NAME=`"Data`" TYPE=`"string`"><VALUE>$([System.Security.SecurityElement]::Escape($Data))</VALUE></PROPERTY><PROPERTY NAME=`"Name`" TYPE=`"string`"><VALUE>$Name</VALUE></PROPERTY><PROPERTY NAME=`"Source`" TYPE=`"uint16`"><VALUE>1</VALUE></PROPERTY></INSTANCE>" }

# Runs an agent script and returns its output lines parsed, plus the exit code.
function Invoke-AgentScriptUnderTest {
    param([string]$Path, [hashtable]$Parameters = @{})
    $global:LASTEXITCODE = 0
    $lines = @(& $Path @Parameters)
    $code = $global:LASTEXITCODE
    $events = @($lines | ForEach-Object { ConvertFrom-Json -InputObject ([string]$_) })
    $result = @($events | Where-Object { $_.event -eq 'result' })
    [pscustomobject]@{ Lines = $lines; Events = $events; Result = $result[-1]; ResultCount = $result.Count; ExitCode = $code }
}

# The agent scripts' clock seam (AetherV.Agent.Common.ps1 defines the real one); declared here so
# tests can mock it before a script has run.
function global:Get-AgentUtcNow { [DateTime]::UtcNow }
