# Simulated Hyper-V PowerShell module of aetherv-hostsim: the cmdlets the Aether-V agent scripts
# use, with the real cmdlets' parameter names and types, acting on the simulated host's state
# (see ..\HyperVSim.Store.ps1). Errors follow the real module's wording where it matters to
# callers (a missing VM or switch is a non-terminating error, so -ErrorAction decides).
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot '..' 'HyperVSim.Store.ps1')

function Get-SimVmRecordFor {
    <# The VM records a cmdlet targets: -VM objects (re-read by id) or names with wildcards. #>
    param($Cmdlet, [Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM, [string[]]$Name, [switch]$All)
    $records = Get-SimVmRecords
    $found = New-Object System.Collections.ArrayList
    if ($null -ne $VM) {
        foreach ($v in $VM) {
            $match = @($records | Where-Object { [guid]$_.id -eq $v.Id })
            if ($match.Count -eq 0) {
                $Cmdlet.WriteError((New-SimErrorRecord -Message ("The operation cannot be performed because the virtual machine '{0}' no longer exists." -f $v.Name) -ErrorId 'ObjectNotFound,Microsoft.HyperV.PowerShell.Commands' -Category ObjectNotFound -Target $v))
                continue
            }
            [void]$found.Add($match[0])
        }
        return , $found
    }
    if ($All -or $null -eq $Name -or $Name.Count -eq 0) {
        foreach ($r in $records) { [void]$found.Add($r) }
        return , $found
    }
    foreach ($n in $Name) {
        $pattern = New-Object System.Management.Automation.WildcardPattern -ArgumentList $n, ([System.Management.Automation.WildcardOptions]::IgnoreCase)
        $match = @($records | Where-Object { $pattern.IsMatch($_.name) })
        if ($match.Count -eq 0 -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($n)) {
            $Cmdlet.WriteError((New-SimErrorRecord -Message ('Hyper-V was unable to find a virtual machine with name "{0}".' -f $n) -ErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM' -Category InvalidArgument -Target $n))
        }
        foreach ($m in $match) { [void]$found.Add($m) }
    }
    return , $found
}

function Update-SimVm {
    <# Applies $Change to each targeted VM record under the host lock and saves it. #>
    param($Cmdlet, $Parameters, [scriptblock]$Change, [string]$NameParameter = 'VMName')
    # Names here are unusual on purpose: $Change runs in a child scope and sees these.
    $simTargetVMs = $null
    if ($Parameters.ContainsKey('VM')) { $simTargetVMs = $Parameters['VM'] }
    $simTargetNames = $null
    if ($Parameters.ContainsKey($NameParameter)) { $simTargetNames = $Parameters[$NameParameter] }
    Invoke-SimLocked {
        foreach ($simRecord in (Get-SimVmRecordFor -Cmdlet $Cmdlet -VM $simTargetVMs -Name $simTargetNames)) {
            & $Change $simRecord
            Save-SimVmRecord $simRecord
            $simRecord
        }
    }
}

function Test-SimPathExists {
    param([string]$Path)
    if (-not $Path) { return $false }
    return [System.IO.File]::Exists((Get-SimProviderPath $Path))
}

function Get-VMHost {
    [CmdletBinding()]
    [OutputType([Microsoft.HyperV.PowerShell.VMHost])]
    param([string[]]$ComputerName)
    $config = Get-SimHostConfig
    $vmHost = New-Object Microsoft.HyperV.PowerShell.VMHost
    $vmHost.ComputerName = [string]$env:COMPUTERNAME
    $vmHost.Name = [string]$env:COMPUTERNAME
    # The paths as .NET on this machine reaches them (C:\ is a PowerShell drive here), just as
    # Get-VMHost's C:\ paths work with [System.IO] calls on Windows.
    $vmHost.VirtualMachinePath = Get-SimProviderPath $config.virtualMachinePath
    $vmHost.VirtualHardDiskPath = Get-SimProviderPath $config.virtualHardDiskPath
    $vmHost.LogicalProcessorCount = [int]$config.logicalProcessorCount
    $vmHost.MemoryCapacity = [long]$config.memoryCapacityBytes
    $vmHost
}

function Get-VMSwitch {
    [CmdletBinding()]
    [OutputType([Microsoft.HyperV.PowerShell.VMSwitch])]
    param(
        [Parameter(Position = 0)][string[]]$Name,
        [Microsoft.HyperV.PowerShell.VMSwitchType[]]$SwitchType
    )
    $config = Get-SimHostConfig
    $patterns = @('*')
    if ($Name) { $patterns = $Name }
    foreach ($n in $patterns) {
        $pattern = New-Object System.Management.Automation.WildcardPattern -ArgumentList $n, ([System.Management.Automation.WildcardOptions]::IgnoreCase)
        $matched = 0
        foreach ($s in $config.switches) {
            if (-not $pattern.IsMatch($s.name)) { continue }
            if ($SwitchType -and $SwitchType -notcontains [Microsoft.HyperV.PowerShell.VMSwitchType]$s.switchType) { continue }
            $matched++
            $switch = New-Object Microsoft.HyperV.PowerShell.VMSwitch
            $switch.ComputerName = [string]$env:COMPUTERNAME
            $switch.Name = $s.name
            $switch.Id = [guid]$s.id
            $switch.SwitchType = [Microsoft.HyperV.PowerShell.VMSwitchType]$s.switchType
            $switch.NetAdapterInterfaceDescription = [string]$s.netAdapter
            $switch.AllowManagementOS = [bool]$s.allowManagementOS
            $switch
        }
        if ($matched -eq 0 -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($n)) {
            $PSCmdlet.WriteError((New-SimErrorRecord -Message ('Hyper-V was unable to find a virtual switch with name "{0}".' -f $n) -ErrorId 'ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.GetVMSwitch' -Category ObjectNotFound -Target $n))
        }
    }
}

function New-VMSwitch {
    [CmdletBinding(DefaultParameterSetName = 'SwitchName_SwitchType')]
    [OutputType([Microsoft.HyperV.PowerShell.VMSwitch])]
    param(
        [Parameter(Mandatory = $true, Position = 0)][Alias('SwitchName')][string]$Name,
        [Parameter(ParameterSetName = 'SwitchName_SwitchType')][Microsoft.HyperV.PowerShell.VMSwitchType]$SwitchType = 'Internal',
        [Parameter(Mandatory = $true, ParameterSetName = 'NetAdapterName')][string]$NetAdapterName,
        [bool]$AllowManagementOS = $true
    )
    Invoke-SimLocked {
        $config = Get-SimHostConfig
        if (@($config.switches | Where-Object { $_.name -eq $Name }).Count -gt 0) {
            $PSCmdlet.ThrowTerminatingError((New-SimErrorRecord -Message ("Failed while adding virtual Ethernet switch: a switch named '{0}' already exists." -f $Name) -Category ResourceExists -Target $Name))
        }
        $type = $SwitchType
        $adapter = ''
        if ($PSCmdlet.ParameterSetName -eq 'NetAdapterName') { $type = 'External'; $adapter = $NetAdapterName }
        $config.switches = @($config.switches) + @([ordered]@{ name = $Name; id = [guid]::NewGuid().ToString(); switchType = [string]$type; netAdapter = $adapter; allowManagementOS = $AllowManagementOS })
        Save-SimHostConfig $config
    }
    Get-VMSwitch -Name $Name
}

function Get-VM {
    [CmdletBinding(DefaultParameterSetName = 'Name')]
    [OutputType([Microsoft.HyperV.PowerShell.VirtualMachine])]
    param(
        [Parameter(ParameterSetName = 'Name', Position = 0, ValueFromPipeline = $true)][Alias('VMName')][string[]]$Name,
        [Parameter(ParameterSetName = 'Id', Mandatory = $true)][Alias('VMId')][guid[]]$Id,
        [string[]]$ComputerName
    )
    process {
        $bound = $PSBoundParameters
        if ($PSCmdlet.ParameterSetName -eq 'Id') {
            $records = Get-SimVmRecords
            foreach ($i in $Id) {
                $match = @($records | Where-Object { [guid]$_.id -eq $i })
                if ($match.Count -eq 0) {
                    $PSCmdlet.WriteError((New-SimErrorRecord -Message ('Hyper-V was unable to find a virtual machine with id "{0}".' -f $i) -ErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM' -Category InvalidArgument -Target $i))
                }
                foreach ($m in $match) { ConvertTo-SimVM $m }
            }
            return
        }
        foreach ($record in (Get-SimVmRecordFor -Cmdlet $PSCmdlet -Name $Name)) { ConvertTo-SimVM $record }
    }
}

function New-VM {
    [CmdletBinding(DefaultParameterSetName = 'No VHD')]
    [OutputType([Microsoft.HyperV.PowerShell.VirtualMachine])]
    param(
        [Parameter(Position = 0)][Alias('VMName')][string]$Name = 'New Virtual Machine',
        [long]$MemoryStartupBytes = 1073741824,
        [ValidateSet(1, 2)][int16]$Generation = 1,
        [Parameter(ParameterSetName = 'Existing VHD', Mandatory = $true)][string]$VHDPath,
        [Parameter(ParameterSetName = 'No VHD')][switch]$NoVHD,
        [string]$Path,
        [string]$SwitchName,
        [Microsoft.HyperV.PowerShell.BootDevice]$BootDevice,
        [string]$Version
    )
    if ($MemoryStartupBytes -lt 32MB) {
        $PSCmdlet.ThrowTerminatingError((New-SimErrorRecord -Message ('Failed to modify device ''Memory'': the startup memory {0} is below the minimum of 32 MB.' -f $MemoryStartupBytes) -Category InvalidArgument -Target $Name))
    }
    $config = Get-SimHostConfig
    if (-not $Path) { $Path = Get-SimProviderPath $config.virtualMachinePath }
    if ($SwitchName -and @($config.switches | Where-Object { $_.name -eq $SwitchName }).Count -eq 0) {
        $PSCmdlet.ThrowTerminatingError((New-SimErrorRecord -Message ('Hyper-V was unable to find a virtual switch with name "{0}".' -f $SwitchName) -Category ObjectNotFound -Target $SwitchName))
    }
    if ($VHDPath -and -not (Test-SimPathExists $VHDPath)) {
        $PSCmdlet.ThrowTerminatingError((New-SimErrorRecord -Message ("Failed to add device 'Virtual Hard Disk': the file '{0}' does not exist." -f $VHDPath) -Category ObjectNotFound -Target $VHDPath))
    }
    $record = Invoke-SimLocked {
        if ([System.IO.File]::Exists((Get-SimVmFile $Name))) {
            $PSCmdlet.ThrowTerminatingError((New-SimErrorRecord -Message ("The simulated host keeps one VM per name and '{0}' already exists." -f $Name) -Category ResourceExists -Target $Name))
        }
        $vmFolder = Join-Path $Path $Name
        [void][System.IO.Directory]::CreateDirectory((Get-SimProviderPath (Join-Path $vmFolder 'Virtual Machines')))
        $controller = 'SCSI'
        if ($Generation -eq 1) { $controller = 'IDE' }
        $drives = @()
        if ($VHDPath) { $drives = @([ordered]@{ path = $VHDPath; controllerType = $controller; controllerNumber = 0; controllerLocation = 0 }) }
        $adapters = @([ordered]@{ name = 'Network Adapter'; id = [guid]::NewGuid().ToString(); switchName = [string]$SwitchName; macAddress = '00155D' + ([guid]::NewGuid().ToString('N').Substring(0, 6).ToUpperInvariant()); vlan = [ordered]@{ mode = 'Untagged'; vlanId = 0 } })
        $fresh = [ordered]@{
            name = $Name; id = [guid]::NewGuid().ToString(); generation = [int]$Generation; state = 'Off'
            processorCount = 1
            memory = [ordered]@{ startupBytes = $MemoryStartupBytes; dynamic = $false; minimumBytes = 512MB; maximumBytes = 1TB }
            path = $vmFolder; notes = ''; createdAt = (Format-SimTime (Get-SimUtcNow)); startedAt = $null
            networkAdapters = $adapters; hardDrives = $drives; dvdDrives = @()
            firmware = [ordered]@{ secureBoot = 'On'; secureBootTemplate = 'MicrosoftWindows'; firstBootDevice = $null }
            bios = [ordered]@{ startupOrder = @('CD', 'IDE', 'LegacyNetworkAdapter', 'Floppy') }
            kvp = [ordered]@{ host = [ordered]@{}; publishedAt = $null }
        }
        Save-SimVmRecord $fresh
        $fresh
    }
    ConvertTo-SimVM $record
}

function Set-VMProcessor {
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    param(
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0)][string[]]$VMName,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM,
        [long]$Count,
        [switch]$Passthru
    )
    process {
        $bound = $PSBoundParameters
        $config = Get-SimHostConfig
        if ($bound.ContainsKey('Count') -and ($Count -lt 1 -or $Count -gt [int]$config.logicalProcessorCount)) {
            $PSCmdlet.ThrowTerminatingError((New-SimErrorRecord -Message ('Failed to modify device ''Processor'': {0} virtual processors requested, the host has {1} logical processors.' -f $Count, $config.logicalProcessorCount) -Category InvalidArgument -Target $Count))
        }
        $null = Update-SimVm -Cmdlet $PSCmdlet -Parameters $PSBoundParameters -Change {
            param($r)
            if ($r.state -ne 'Off') { throw ("Failed to modify device 'Processor': the virtual machine '{0}' must be off." -f $r.name) }
            if ($bound.ContainsKey('Count')) { $r.processorCount = $Count }
        }
    }
}

function Set-VMMemory {
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    param(
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0)][string[]]$VMName,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM,
        [bool]$DynamicMemoryEnabled,
        [long]$MinimumBytes,
        [long]$StartupBytes,
        [long]$MaximumBytes,
        [int]$Buffer,
        [int]$Priority,
        [switch]$Passthru
    )
    process {
        $bound = $PSBoundParameters
        $null = Update-SimVm -Cmdlet $PSCmdlet -Parameters $PSBoundParameters -Change {
            param($r)
            $m = $r.memory
            if ($bound.ContainsKey('DynamicMemoryEnabled')) { $m.dynamic = $DynamicMemoryEnabled }
            if ($bound.ContainsKey('StartupBytes')) { $m.startupBytes = $StartupBytes }
            if ($bound.ContainsKey('MinimumBytes')) { $m.minimumBytes = $MinimumBytes }
            if ($bound.ContainsKey('MaximumBytes')) { $m.maximumBytes = $MaximumBytes }
            if ($m.dynamic -and -not ([long]$m.minimumBytes -le [long]$m.startupBytes -and [long]$m.startupBytes -le [long]$m.maximumBytes)) {
                throw ("Failed to modify device 'Memory': dynamic memory needs minimum ({0}) <= startup ({1}) <= maximum ({2})." -f $m.minimumBytes, $m.startupBytes, $m.maximumBytes)
            }
            if ([long]$m.startupBytes % 2MB -ne 0) { throw ("Failed to modify device 'Memory': {0} bytes is not a multiple of 2 MB." -f $m.startupBytes) }
        }
    }
}

function Get-VMNetworkAdapter {
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    [OutputType([Microsoft.HyperV.PowerShell.VMNetworkAdapter])]
    param(
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0)][string[]]$VMName,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM,
        [Parameter(ParameterSetName = 'All', Mandatory = $true)][switch]$All,
        [string]$Name
    )
    process {
        $bound = $PSBoundParameters
        foreach ($r in (Get-SimVmRecordFor -Cmdlet $PSCmdlet -VM $VM -Name $VMName -All:$All)) {
            foreach ($a in $r.networkAdapters) {
                if ($Name -and $a.name -notlike $Name) { continue }
                $adapter = New-Object Microsoft.HyperV.PowerShell.VMNetworkAdapter
                $adapter.ComputerName = [string]$env:COMPUTERNAME
                $adapter.Name = $a.name
                $adapter.Id = $a.id
                $adapter.VMName = $r.name
                $adapter.VMId = [guid]$r.id
                $adapter.SwitchName = [string]$a.switchName
                $adapter.MacAddress = [string]$a.macAddress
                $adapter
            }
        }
    }
}

function Set-VMNetworkAdapterVlan {
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    param(
        [Parameter(ParameterSetName = 'VMName', Position = 0)][string[]]$VMName,
        [Parameter(ParameterSetName = 'ResourceObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Microsoft.HyperV.PowerShell.VMNetworkAdapter[]]$VMNetworkAdapter,
        [string]$VMNetworkAdapterName,
        [switch]$Untagged,
        [switch]$Access,
        [switch]$Trunk,
        [ValidateRange(1, 4094)][int]$VlanId,
        [switch]$Passthru
    )
    process {
        $bound = $PSBoundParameters
        $modes = @($Untagged, $Access, $Trunk) | Where-Object { $_ }
        if (@($modes).Count -ne 1) {
            $PSCmdlet.ThrowTerminatingError((New-SimErrorRecord -Message 'Specify exactly one of -Untagged, -Access or -Trunk.' -Category InvalidArgument))
        }
        if ($Access -and -not $bound.ContainsKey('VlanId')) {
            $PSCmdlet.ThrowTerminatingError((New-SimErrorRecord -Message 'The -Access mode needs -VlanId.' -Category InvalidArgument))
        }
        $targets = New-Object System.Collections.ArrayList
        if ($PSCmdlet.ParameterSetName -eq 'ResourceObject') {
            foreach ($a in $VMNetworkAdapter) { [void]$targets.Add(@{ VMName = $a.VMName; Adapter = $a.Id }) }
        } else {
            foreach ($n in $VMName) { [void]$targets.Add(@{ VMName = $n; Adapter = '' }) }
        }
        foreach ($t in $targets) {
            $null = Update-SimVm -Cmdlet $PSCmdlet -Parameters @{ VMName = @($t.VMName) } -Change {
                param($r)
                foreach ($a in $r.networkAdapters) {
                    if ($t.Adapter -and $a.id -ne $t.Adapter) { continue }
                    if ($VMNetworkAdapterName -and $a.name -ne $VMNetworkAdapterName) { continue }
                    if ($Access) { $a.vlan = [ordered]@{ mode = 'Access'; vlanId = $VlanId } }
                    elseif ($Untagged) { $a.vlan = [ordered]@{ mode = 'Untagged'; vlanId = 0 } }
                    else { $a.vlan = [ordered]@{ mode = 'Trunk'; vlanId = $VlanId } }
                }
            }
        }
    }
}

function ConvertTo-SimDrive {
    param($Record, $Drive, [string]$Type, [string]$Kind)
    $object = New-Object ('Microsoft.HyperV.PowerShell.' + $Type)
    $object.ComputerName = [string]$env:COMPUTERNAME
    $object.VMName = $Record.name
    $object.VMId = [guid]$Record.id
    $object.Path = [string]$Drive.path
    $object.ControllerType = [Microsoft.HyperV.PowerShell.ControllerType]$Drive.controllerType
    $object.ControllerNumber = [int]$Drive.controllerNumber
    $object.ControllerLocation = [int]$Drive.controllerLocation
    $object.Name = '{0} on {1} controller number {2} at location {3}' -f $Kind, $Drive.controllerType, $Drive.controllerNumber, $Drive.controllerLocation
    $object.Id = '{0}:{1}:{2}' -f $Drive.controllerType, $Drive.controllerNumber, $Drive.controllerLocation
    return $object
}

function Get-VMHardDiskDrive {
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    [OutputType([Microsoft.HyperV.PowerShell.HardDiskDrive])]
    param(
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0)][string[]]$VMName,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM
    )
    process {
        $bound = $PSBoundParameters
        foreach ($r in (Get-SimVmRecordFor -Cmdlet $PSCmdlet -VM $VM -Name $VMName)) {
            foreach ($d in $r.hardDrives) { ConvertTo-SimDrive -Record $r -Drive $d -Type 'HardDiskDrive' -Kind 'Hard Drive' }
        }
    }
}

function Get-VMDvdDrive {
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    [OutputType([Microsoft.HyperV.PowerShell.DvdDrive])]
    param(
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0)][string[]]$VMName,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM
    )
    process {
        $bound = $PSBoundParameters
        foreach ($r in (Get-SimVmRecordFor -Cmdlet $PSCmdlet -VM $VM -Name $VMName)) {
            foreach ($d in $r.dvdDrives) { ConvertTo-SimDrive -Record $r -Drive $d -Type 'DvdDrive' -Kind 'DVD Drive' }
        }
    }
}

function Add-VMDvdDrive {
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    param(
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0)][string[]]$VMName,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM,
        [Parameter(Position = 1)][int]$ControllerNumber = -1,
        [Parameter(Position = 2)][int]$ControllerLocation = -1,
        [Parameter(Position = 3)][string]$Path,
        [switch]$Passthru
    )
    process {
        $bound = $PSBoundParameters
        if ($Path -and -not (Test-SimPathExists $Path)) {
            $PSCmdlet.ThrowTerminatingError((New-SimErrorRecord -Message ("Failed to add device 'Virtual CD/DVD Disk': the file '{0}' does not exist." -f $Path) -Category ObjectNotFound -Target $Path))
        }
        $null = Update-SimVm -Cmdlet $PSCmdlet -Parameters $PSBoundParameters -Change {
            param($r)
            $type = 'SCSI'
            if ([int]$r.generation -eq 1) { $type = 'IDE' }
            $used = @($r.hardDrives) + @($r.dvdDrives)
            $number = $ControllerNumber
            if ($number -lt 0) { $number = 0; if ($type -eq 'IDE') { $number = 1 } }
            $location = $ControllerLocation
            if ($location -lt 0) {
                $location = 0
                while (@($used | Where-Object { $_.controllerType -eq $type -and [int]$_.controllerNumber -eq $number -and [int]$_.controllerLocation -eq $location }).Count -gt 0) { $location++ }
            }
            $r.dvdDrives = @($r.dvdDrives) + @([ordered]@{ path = [string]$Path; controllerType = $type; controllerNumber = $number; controllerLocation = $location })
        }
    }
}

function Set-VMFirmware {
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    param(
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0)][string[]]$VMName,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM,
        [Microsoft.HyperV.PowerShell.OnOffState]$EnableSecureBoot,
        [string]$SecureBootTemplate,
        [Microsoft.HyperV.PowerShell.VMComponentObject]$FirstBootDevice,
        [Microsoft.HyperV.PowerShell.VMComponentObject[]]$BootOrder,
        [switch]$Passthru
    )
    process {
        $bound = $PSBoundParameters
        if ($SecureBootTemplate -and @('MicrosoftWindows', 'MicrosoftUEFICertificateAuthority', 'OpenSourceShieldedVM') -notcontains $SecureBootTemplate) {
            $PSCmdlet.ThrowTerminatingError((New-SimErrorRecord -Message ("The secure boot template '{0}' does not exist." -f $SecureBootTemplate) -Category InvalidArgument -Target $SecureBootTemplate))
        }
        $null = Update-SimVm -Cmdlet $PSCmdlet -Parameters $PSBoundParameters -Change {
            param($r)
            if ([int]$r.generation -ne 2) { throw ("Failed to modify firmware of '{0}': firmware settings exist on generation 2 virtual machines only; use Set-VMBios." -f $r.name) }
            if ($bound.ContainsKey('EnableSecureBoot')) { $r.firmware.secureBoot = [string]$EnableSecureBoot }
            if ($SecureBootTemplate) { $r.firmware.secureBootTemplate = $SecureBootTemplate }
            if ($null -ne $FirstBootDevice) {
                if ($FirstBootDevice.VMId -ne [guid]$r.id) { throw ("The boot device '{0}' does not belong to the virtual machine '{1}'." -f $FirstBootDevice.Name, $r.name) }
                $r.firmware.firstBootDevice = $FirstBootDevice.Id
            }
        }
    }
}

function Set-VMBios {
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    param(
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0)][string[]]$VMName,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM,
        [Microsoft.HyperV.PowerShell.BootDevice[]]$StartupOrder,
        [switch]$EnableNumLock,
        [switch]$Passthru
    )
    process {
        $bound = $PSBoundParameters
        $null = Update-SimVm -Cmdlet $PSCmdlet -Parameters $PSBoundParameters -Change {
            param($r)
            if ([int]$r.generation -ne 1) { throw ("Failed to modify BIOS of '{0}': BIOS settings exist on generation 1 virtual machines only; use Set-VMFirmware." -f $r.name) }
            if ($StartupOrder) { $r.bios.startupOrder = @($StartupOrder | ForEach-Object { [string]$_ }) }
        }
    }
}

function Set-VM {
    [CmdletBinding(DefaultParameterSetName = 'Name')]
    param(
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0)][Alias('VMName')][string[]]$Name,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM,
        [string]$Notes,
        [long]$ProcessorCount,
        [string]$NewVMName,
        [switch]$Passthru
    )
    process {
        $bound = $PSBoundParameters
        $null = Update-SimVm -Cmdlet $PSCmdlet -Parameters $PSBoundParameters -NameParameter 'Name' -Change {
            param($r)
            if ($bound.ContainsKey('Notes')) { $r.notes = $Notes }
            if ($bound.ContainsKey('ProcessorCount')) { $r.processorCount = $ProcessorCount }
            if ($NewVMName) { throw 'Renaming is not supported by the simulated host.' }
        }
    }
}

function Start-VM {
    [CmdletBinding(DefaultParameterSetName = 'Name')]
    param(
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0)][string[]]$Name,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM,
        [switch]$Passthru,
        [switch]$AsJob
    )
    process {
        $bound = $PSBoundParameters
        $started = Update-SimVm -Cmdlet $PSCmdlet -Parameters $PSBoundParameters -NameParameter 'Name' -Change {
            param($r)
            foreach ($d in @($r.hardDrives) + @($r.dvdDrives)) {
                if ($d.path -and -not (Test-SimPathExists $d.path)) { throw ("'{0}' failed to start: the file '{1}' of its drive does not exist." -f $r.name, $d.path) }
            }
            if ($r.state -ne 'Running') {
                $r.state = 'Running'
                $r.startedAt = Format-SimTime (Get-SimUtcNow)
            }
        }
        if ($Passthru) { foreach ($r in $started) { ConvertTo-SimVM $r } }
    }
}

function Stop-VM {
    [CmdletBinding(DefaultParameterSetName = 'Name')]
    param(
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0)][string[]]$Name,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM,
        [switch]$Force,
        [switch]$TurnOff,
        [switch]$Passthru
    )
    process {
        $bound = $PSBoundParameters
        $null = Update-SimVm -Cmdlet $PSCmdlet -Parameters $PSBoundParameters -NameParameter 'Name' -Change {
            param($r)
            $r.state = 'Off'
            $r.startedAt = $null
        }
    }
}

function Remove-VM {
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0)][string[]]$Name,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM,
        [switch]$Force
    )
    process {
        $bound = $PSBoundParameters
        $vmObjects = $null
        if ($bound.ContainsKey('VM')) { $vmObjects = $VM }
        Invoke-SimLocked {
            foreach ($r in (Get-SimVmRecordFor -Cmdlet $PSCmdlet -VM $vmObjects -Name $Name)) {
                if ($r.state -eq 'Running') { throw ("Cannot remove '{0}': the virtual machine is running; stop it first." -f $r.name) }
                # As on Hyper-V: the configuration goes, the disks and the ISO stay.
                [System.IO.File]::Delete((Get-SimVmFile $r.name))
            }
        }
    }
}

Export-ModuleMember -Function Get-VMHost, Get-VMSwitch, New-VMSwitch, Get-VM, New-VM, Set-VMProcessor, Set-VMMemory,
    Get-VMNetworkAdapter, Set-VMNetworkAdapterVlan, Get-VMHardDiskDrive, Get-VMDvdDrive, Add-VMDvdDrive,
    Set-VMFirmware, Set-VMBios, Set-VM, Start-VM, Stop-VM, Remove-VM
