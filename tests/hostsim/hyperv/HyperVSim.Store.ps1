# State of one simulated Hyper-V host, dot-sourced by the Hyper-V and CimCmdlets modules of
# aetherv-hostsim. Everything lives under the host's own C: drive (mapped per runspace by the
# worker), so each simulated host has its own VMs:
#   C:\ProgramData\HyperVSim\host.json        host settings: default paths, switches, guest timing
#   C:\ProgramData\HyperVSim\vms\<name>.json  one file per VM (configuration, state, KVP items)
# Writes go to a temporary file and are moved into place under an exclusive lock file, so
# parallel commands on one host never see half-written JSON.
Set-StrictMode -Version 3.0

$script:SimDefaultHost = [ordered]@{
    virtualMachinePath  = 'C:\ProgramData\Microsoft\Windows\Hyper-V'
    virtualHardDiskPath = 'C:\Users\Public\Documents\Hyper-V\Virtual Hard Disks'
    logicalProcessorCount = 16
    memoryCapacityBytes = 68719476736
    switches = @(
        [ordered]@{ name = 'LAN'; id = ''; switchType = 'External'; netAdapter = 'Microsoft Hyper-V Network Adapter'; allowManagementOS = $true }
    )
    # The simulated guest: seconds from the commit key (AetherV.Published) to "Ready", and an
    # optional message that makes it report "Failed" instead.
    guest = [ordered]@{ readyDelaySeconds = 3; failureMessage = '' }
}

function Get-SimProviderPath {
    param([Parameter(Mandatory = $true)][string]$Path)
    return $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
}

function Get-SimRoot {
    $root = Get-SimProviderPath 'C:\ProgramData\HyperVSim'
    $vms = [System.IO.Path]::Combine($root, 'vms')
    if (-not [System.IO.Directory]::Exists($vms)) { [void][System.IO.Directory]::CreateDirectory($vms) }
    return $root
}

function New-SimErrorRecord {
    param(
        [Parameter(Mandatory = $true)][string]$Message,
        [string]$ErrorId = 'HyperVSimError',
        [System.Management.Automation.ErrorCategory]$Category = [System.Management.Automation.ErrorCategory]::InvalidOperation,
        $Target = $null
    )
    $exception = New-Object Microsoft.PowerShell.Commands.WriteErrorException -ArgumentList $Message
    return New-Object System.Management.Automation.ErrorRecord -ArgumentList $exception, $ErrorId, $Category, $Target
}

function Invoke-SimLocked {
    <# Runs $Body while holding the host's lock file (waits up to 30 s for another command). #>
    param([Parameter(Mandatory = $true)][scriptblock]$Body)
    # Unusual names: $Body runs in a child scope of this function and sees its variables.
    $simLockPath = [System.IO.Path]::Combine((Get-SimRoot), '.lock')
    $simLockDeadline = [DateTime]::UtcNow.AddSeconds(30)
    $simLockStream = $null
    while ($null -eq $simLockStream) {
        try {
            $simLockStream = [System.IO.File]::Open($simLockPath, [System.IO.FileMode]::OpenOrCreate, [System.IO.FileAccess]::ReadWrite, [System.IO.FileShare]::None)
        } catch [System.IO.IOException] {
            if ([DateTime]::UtcNow -gt $simLockDeadline) { throw 'The simulated Hyper-V host is busy (lock held for 30 s).' }
            Start-Sleep -Milliseconds 20
        }
    }
    try { & $Body } finally { $simLockStream.Dispose() }
}

function Read-SimJson {
    param([Parameter(Mandatory = $true)][string]$File)
    if (-not [System.IO.File]::Exists($File)) { return $null }
    return (ConvertFrom-Json -InputObject ([System.IO.File]::ReadAllText($File)) -AsHashtable)
}

function Write-SimJson {
    param([Parameter(Mandatory = $true)][string]$File, [Parameter(Mandatory = $true)]$Value)
    $temporary = $File + '.' + [guid]::NewGuid().ToString('N') + '.tmp'
    [System.IO.File]::WriteAllText($temporary, (ConvertTo-Json -InputObject $Value -Depth 10))
    [System.IO.File]::Move($temporary, $File, $true)
}

function Get-SimHostConfig {
    $file = [System.IO.Path]::Combine((Get-SimRoot), 'host.json')
    $config = Read-SimJson $file
    if ($null -ne $config) { return $config }
    return (Invoke-SimLocked {
            $existing = Read-SimJson $file
            if ($null -ne $existing) { return $existing }
            $fresh = ConvertFrom-Json -InputObject (ConvertTo-Json -InputObject $script:SimDefaultHost -Depth 10) -AsHashtable
            foreach ($switch in $fresh.switches) { $switch.id = [guid]::NewGuid().ToString() }
            Write-SimJson $file $fresh
            return $fresh
        })
}

function Save-SimHostConfig {
    param([Parameter(Mandatory = $true)]$Config)
    Write-SimJson ([System.IO.Path]::Combine((Get-SimRoot), 'host.json')) $Config
}

function Get-SimVmFile {
    param([Parameter(Mandatory = $true)][string]$Name)
    return [System.IO.Path]::Combine((Get-SimRoot), 'vms', $Name + '.json')
}

function Get-SimVmRecords {
    $folder = [System.IO.Path]::Combine((Get-SimRoot), 'vms')
    $records = New-Object System.Collections.ArrayList
    foreach ($file in [System.IO.Directory]::GetFiles($folder, '*.json')) {
        $record = Read-SimJson $file
        if ($null -ne $record) { [void]$records.Add($record) }
    }
    return , $records
}

function Save-SimVmRecord {
    param([Parameter(Mandatory = $true)]$Record)
    Write-SimJson (Get-SimVmFile $Record.name) $Record
}

function Get-SimUtcNow { return [DateTime]::UtcNow }

function ConvertTo-SimVM {
    param([Parameter(Mandatory = $true)]$Record)
    $vm = New-Object Microsoft.HyperV.PowerShell.VirtualMachine
    $vm.ComputerName = [string]$env:COMPUTERNAME
    $vm.Name = $Record.name
    $vm.Id = [guid]$Record.id
    $vm.State = [Microsoft.HyperV.PowerShell.VMState]$Record.state
    $vm.Generation = [int]$Record.generation
    $vm.ProcessorCount = [long]$Record.processorCount
    $vm.MemoryStartup = [long]$Record.memory.startupBytes
    $vm.MemoryMinimum = [long]$Record.memory.minimumBytes
    $vm.MemoryMaximum = [long]$Record.memory.maximumBytes
    $vm.DynamicMemoryEnabled = [bool]$Record.memory.dynamic
    $vm.Path = $Record.path
    $vm.ConfigurationLocation = $Record.path
    $vm.Notes = [string]$Record.notes
    if ($Record.state -eq 'Running' -and $Record.startedAt) {
        $vm.MemoryAssigned = [long]$Record.memory.startupBytes
        $vm.Uptime = (Get-SimUtcNow) - [DateTime]::Parse($Record.startedAt, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind)
    }
    return $vm
}

function Format-SimTime {
    param([DateTime]$Value)
    return $Value.ToUniversalTime().ToString('o', [Globalization.CultureInfo]::InvariantCulture)
}
