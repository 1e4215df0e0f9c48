# Simulated CimCmdlets module of aetherv-hostsim: Get-CimInstance, Get-CimAssociatedInstance and
# Invoke-CimMethod over the classes the Aether-V agent scripts use, backed by the simulated
# Hyper-V host's state (..\HyperVSim.Store.ps1):
#   root\virtualization\v2  Msvm_ComputerSystem (the host and each VM), Msvm_VirtualSystemSettingData,
#                           Msvm_KvpExchangeComponentSettingData (HostExchangeItems),
#                           Msvm_KvpExchangeComponent (GuestExchangeItems), Msvm_ConcreteJob,
#                           Msvm_VirtualSystemManagementService (AddKvpItems, ModifyKvpItems,
#                           RemoveKvpItems with embedded Msvm_KvpExchangeDataItem instances)
#   root\cimv2              Win32_OperatingSystem, Win32_Processor, Win32_ComputerSystem
# The simulated guest: once a running VM has the commit key AetherV.Published in its host items,
# it reports AetherV.ProvisioningStatus = InProgress and, readyDelaySeconds later (host.json),
# Ready (or Failed with host.json's guest.failureMessage), with AetherV.ProvisioningMessage.
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot '..' 'HyperVSim.Store.ps1')

$script:VirtualizationNamespace = 'root/virtualization/v2'
$script:Cimv2Namespace = 'root/cimv2'
$script:ClassesByNamespace = @{
    'root/virtualization/v2' = @('Msvm_ComputerSystem', 'Msvm_VirtualSystemSettingData', 'Msvm_KvpExchangeComponentSettingData',
        'Msvm_KvpExchangeComponent', 'Msvm_ConcreteJob', 'Msvm_VirtualSystemManagementService')
    'root/cimv2'             = @('Win32_OperatingSystem', 'Win32_Processor', 'Win32_ComputerSystem')
}

function Get-SimNamespace {
    param([string]$Namespace)
    if (-not $Namespace) { return $script:Cimv2Namespace }
    return $Namespace.Replace('\', '/').Trim('/').ToLowerInvariant()
}

function New-SimCimInstance {
    param([Parameter(Mandatory = $true)][string]$ClassName, [Parameter(Mandatory = $true)][string]$Namespace, [Parameter(Mandatory = $true)][System.Collections.IDictionary]$Properties)
    $instance = New-Object AetherV.HostSim.Cim.CimInstance -ArgumentList $ClassName, $Namespace
    $wrapped = [System.Management.Automation.PSObject]::new($instance)
    foreach ($key in $Properties.Keys) {
        $instance.Properties[$key] = $Properties[$key]
        $wrapped.PSObject.Properties.Add([System.Management.Automation.PSNoteProperty]::new($key, $Properties[$key]))
    }
    $wrapped.PSObject.TypeNames.Insert(0, ('Microsoft.Management.Infrastructure.CimInstance#{0}/{1}' -f $Namespace, $ClassName))
    return $wrapped
}

function ConvertTo-SimKvpXml {
    param([string]$Name, [string]$Data, [int]$Source)
    $text = '<INSTANCE CLASSNAME="Msvm_KvpExchangeDataItem"><PROPERTY NAME="Data" TYPE="string"><VALUE>{0}</VALUE></PROPERTY><PROPERTY NAME="Name" TYPE="string"><VALUE>{1}</VALUE></PROPERTY><PROPERTY NAME="Source" TYPE="uint16"><VALUE>{2}</VALUE></PROPERTY></INSTANCE>'
    return ($text -f [System.Security.SecurityElement]::Escape($Data), [System.Security.SecurityElement]::Escape($Name), $Source)
}

function Read-SimKvpItem {
    <# Name and Data of one embedded Msvm_KvpExchangeDataItem (CIM-XML text). #>
    param([string]$Text)
    $document = [xml]$Text
    $instance = $document.SelectSingleNode('/INSTANCE')
    if ($null -eq $instance -or $instance.GetAttribute('CLASSNAME') -ne 'Msvm_KvpExchangeDataItem') { throw 'not an Msvm_KvpExchangeDataItem instance' }
    $name = $document.SelectSingleNode("/INSTANCE/PROPERTY[@NAME='Name']/VALUE")
    $data = $document.SelectSingleNode("/INSTANCE/PROPERTY[@NAME='Data']/VALUE")
    $source = $document.SelectSingleNode("/INSTANCE/PROPERTY[@NAME='Source']/VALUE")
    if ($null -eq $name -or -not $name.InnerText) { throw 'the item has no Name' }
    if ($null -ne $source -and $source.InnerText -ne '0') { throw ('Source {0} is not a host item (0)' -f $source.InnerText) }
    $value = ''
    if ($null -ne $data) { $value = $data.InnerText }
    return [pscustomobject]@{ Name = $name.InnerText; Data = $value }
}

function Get-SimGuestItems {
    <# What the simulated guest has written to its KVP pool, derived from the VM's record and time. #>
    param($Record)
    $items = [ordered]@{}
    if ($Record.state -ne 'Running') { return $items }
    $hostItems = $Record.kvp.host
    if (-not $hostItems.Contains('AetherV.Published') -or -not $Record.kvp.publishedAt) { return $items }
    $guest = (Get-SimHostConfig).guest
    $published = [DateTime]::Parse($Record.kvp.publishedAt, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind)
    $elapsed = ((Get-SimUtcNow) - $published).TotalSeconds
    $hostName = [string]$hostItems['AetherV.HostName']
    if ($elapsed -lt [double]$guest.readyDelaySeconds) {
        $items['AetherV.ProvisioningStatus'] = 'InProgress'
        $items['AetherV.ProvisioningMessage'] = ('applying host name {0} and network settings' -f $hostName)
        return $items
    }
    $jobId = [string]$hostItems['AetherV.JobId']
    if ($guest.failureMessage) {
        $items['AetherV.ProvisioningStatus'] = 'Failed'
        $items['AetherV.ProvisioningMessage'] = [string]$guest.failureMessage
    } elseif ($jobId -ne [string]$hostItems['AetherV.Published']) {
        $items['AetherV.ProvisioningStatus'] = 'Failed'
        $items['AetherV.ProvisioningMessage'] = ('the commit key names job {0} but AetherV.JobId is {1}' -f $hostItems['AetherV.Published'], $jobId)
    } else {
        $items['AetherV.ProvisioningStatus'] = 'Ready'
        $address = 'DHCP'
        if ($hostItems.Contains('AetherV.Network.IPv4Address')) { $address = '{0}/{1}' -f $hostItems['AetherV.Network.IPv4Address'], $hostItems['AetherV.Network.PrefixLength'] }
        $items['AetherV.ProvisioningMessage'] = ('provisioned {0} (job {1}, {2}, IPv4 {3})' -f $hostName, $jobId, $hostItems['AetherV.OS'], $address)
    }
    return $items
}

function Get-SimComputerSystems {
    $systems = New-Object System.Collections.ArrayList
    [void]$systems.Add((New-SimCimInstance -ClassName 'Msvm_ComputerSystem' -Namespace $script:VirtualizationNamespace -Properties ([ordered]@{
                    Name = [string]$env:COMPUTERNAME; ElementName = [string]$env:COMPUTERNAME; Caption = 'Hosting Computer System'
                    EnabledState = [uint16]2; CreationClassName = 'Msvm_ComputerSystem'
                })))
    foreach ($r in (Get-SimVmRecords)) {
        $enabled = [uint16]3
        if ($r.state -eq 'Running') { $enabled = [uint16]2 }
        [void]$systems.Add((New-SimCimInstance -ClassName 'Msvm_ComputerSystem' -Namespace $script:VirtualizationNamespace -Properties ([ordered]@{
                        Name = ([string]$r.id).ToUpperInvariant(); ElementName = $r.name; Caption = 'Virtual Machine'
                        EnabledState = $enabled; CreationClassName = 'Msvm_ComputerSystem'
                    })))
    }
    return , $systems
}

function Test-SimWqlFilter {
    <# The WQL subset the agent scripts use: Property = 'value' (\\ and \' escapes), joined by AND. #>
    param($Instance, [string]$Filter)
    if (-not $Filter) { return $true }
    $rest = $Filter.Trim()
    while ($rest) {
        $m = [regex]::Match($rest, "^(?<p>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*'(?<v>(?:[^'\\]|\\.)*)'\s*(?:(?i:AND)\s+|$)")
        if (-not $m.Success) { throw ('Invalid query: {0}' -f $Filter) }
        $expected = [regex]::Replace($m.Groups['v'].Value, '\\(.)', '$1')
        $actual = $Instance.PSObject.Properties[$m.Groups['p'].Value]
        if ($null -eq $actual -or [string]$actual.Value -ne $expected) { return $false }
        $rest = $rest.Substring($m.Length)
    }
    return $true
}

function Get-SimRecordOf {
    <# The VM record behind a VM's Msvm_ComputerSystem (or one of its associated instances). #>
    param([AetherV.HostSim.Cim.CimInstance]$Instance)
    $id = [string]$Instance['SystemName']
    if ($Instance.CimClassName -eq 'Msvm_ComputerSystem') { $id = [string]$Instance['Name'] }
    foreach ($r in (Get-SimVmRecords)) { if ([string]$r.id -eq $id) { return $r } }
    return $null
}

function Get-CimInstance {
    [CmdletBinding(DefaultParameterSetName = 'ClassNameComputerSet')]
    param(
        [Parameter(ParameterSetName = 'ClassNameComputerSet', Mandatory = $true, Position = 0)][string]$ClassName,
        [Parameter(ParameterSetName = 'CimInstanceComputerSet', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][AetherV.HostSim.Cim.CimInstance]$InputObject,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][string]$Namespace,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][string]$Filter,
        [string[]]$ComputerName,
        [uint32]$OperationTimeoutSec
    )
    process {
        if ($PSCmdlet.ParameterSetName -eq 'CimInstanceComputerSet') {
            # Refreshing an instance: jobs of this simulator finish at once, so a job is returned
            # as it is; anything else is looked up again by its key.
            if ($InputObject.CimClassName -eq 'Msvm_ConcreteJob') {
                return (New-SimCimInstance -ClassName 'Msvm_ConcreteJob' -Namespace $InputObject.CimNamespace -Properties $InputObject.Properties)
            }
            $again = @(Get-CimInstance -ClassName $InputObject.CimClassName -Namespace $InputObject.CimNamespace | Where-Object { $_.psobject.BaseObject.ToString() -eq $InputObject.ToString() })
            if ($again.Count -eq 0) { $PSCmdlet.ThrowTerminatingError((New-SimErrorRecord -Message 'Not found' -ErrorId 'HRESULT 0x80041002,Microsoft.Management.Infrastructure.CimCmdlets.GetCimInstanceCommand' -Category ObjectNotFound -Target $InputObject)) }
            return $again[0]
        }
        $ns = Get-SimNamespace $Namespace
        if (-not $script:ClassesByNamespace.ContainsKey($ns)) {
            $PSCmdlet.ThrowTerminatingError((New-SimErrorRecord -Message 'Invalid namespace ' -ErrorId 'HRESULT 0x8004100e,Microsoft.Management.Infrastructure.CimCmdlets.GetCimInstanceCommand' -Category MetadataError -Target $Namespace))
        }
        $class = @($script:ClassesByNamespace[$ns] | Where-Object { $_ -eq $ClassName })
        if ($class.Count -eq 0) {
            $PSCmdlet.ThrowTerminatingError((New-SimErrorRecord -Message 'Invalid class ' -ErrorId 'HRESULT 0x80041010,Microsoft.Management.Infrastructure.CimCmdlets.GetCimInstanceCommand' -Category MetadataError -Target $ClassName))
        }
        $config = Get-SimHostConfig
        $instances = @()
        switch ($class[0]) {
            'Msvm_ComputerSystem' { $instances = Get-SimComputerSystems }
            'Msvm_VirtualSystemManagementService' {
                $instances = @(New-SimCimInstance -ClassName $class[0] -Namespace $ns -Properties ([ordered]@{ Name = 'vmms'; ElementName = 'Virtual Machine Management Service'; SystemName = [string]$env:COMPUTERNAME }))
            }
            'Win32_OperatingSystem' {
                $instances = @(New-SimCimInstance -ClassName $class[0] -Namespace $ns -Properties ([ordered]@{
                            Caption = 'Microsoft Windows Server 2022 Datacenter (simulated by aetherv-hostsim)'; Version = '10.0.20348'; BuildNumber = '20348'
                            FreePhysicalMemory = [uint64]([long]$config.memoryCapacityBytes / 2048); CSName = [string]$env:COMPUTERNAME
                        }))
            }
            'Win32_Processor' {
                $instances = @(New-SimCimInstance -ClassName $class[0] -Namespace $ns -Properties ([ordered]@{
                            Name = 'Simulated Hyper-V host processor'; NumberOfCores = [uint32]([int]$config.logicalProcessorCount / 2); NumberOfLogicalProcessors = [uint32]$config.logicalProcessorCount; DeviceID = 'CPU0'
                        }))
            }
            'Win32_ComputerSystem' {
                $instances = @(New-SimCimInstance -ClassName $class[0] -Namespace $ns -Properties ([ordered]@{
                            Name = [string]$env:COMPUTERNAME; DNSHostName = [string]$env:COMPUTERNAME; Domain = 'WORKGROUP'; PartOfDomain = $false
                            TotalPhysicalMemory = [uint64]$config.memoryCapacityBytes
                        }))
            }
            default { $instances = @() }
        }
        foreach ($i in $instances) { if (Test-SimWqlFilter -Instance $i -Filter $Filter) { $i } }
    }
}

function Get-CimAssociatedInstance {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)][AetherV.HostSim.Cim.CimInstance]$InputObject,
        [Parameter(Position = 1)][string]$Association,
        [string]$ResultClassName,
        [string]$Namespace,
        [string[]]$ComputerName
    )
    process {
        $record = Get-SimRecordOf $InputObject
        if ($null -eq $record) { return }
        $ns = $script:VirtualizationNamespace
        $system = ([string]$record.id).ToUpperInvariant()
        $results = New-Object System.Collections.ArrayList
        switch ($InputObject.CimClassName) {
            'Msvm_ComputerSystem' {
                foreach ($type in @('Microsoft:Hyper-V:System:Realized')) {
                    [void]$results.Add((New-SimCimInstance -ClassName 'Msvm_VirtualSystemSettingData' -Namespace $ns -Properties ([ordered]@{
                                    InstanceID = 'Microsoft:' + $system; ElementName = $record.name; VirtualSystemType = $type; SystemName = $system
                                    VirtualSystemSubType = ('Microsoft:Hyper-V:SubType:{0}' -f $record.generation); Notes = @([string]$record.notes)
                                })))
                }
                $guest = Get-SimGuestItems $record
                $guestXml = @($guest.Keys | ForEach-Object { ConvertTo-SimKvpXml -Name $_ -Data $guest[$_] -Source 2 })
                $enabled = [uint16]3
                if ($record.state -eq 'Running') { $enabled = [uint16]2 }
                [void]$results.Add((New-SimCimInstance -ClassName 'Msvm_KvpExchangeComponent' -Namespace $ns -Properties ([ordered]@{
                                Name = 'Key-Value Pair Exchange'; DeviceID = 'Microsoft:' + $system + '\KVP'; SystemName = $system; EnabledState = $enabled
                                GuestExchangeItems = [string[]]$guestXml; GuestIntrinsicExchangeItems = [string[]]@()
                            })))
            }
            'Msvm_VirtualSystemSettingData' {
                $hostItems = $record.kvp.host
                $hostXml = @($hostItems.Keys | ForEach-Object { ConvertTo-SimKvpXml -Name $_ -Data $hostItems[$_] -Source 0 })
                [void]$results.Add((New-SimCimInstance -ClassName 'Msvm_KvpExchangeComponentSettingData' -Namespace $ns -Properties ([ordered]@{
                                InstanceID = 'Microsoft:' + $system + '\KVP'; SystemName = $system; Enabled = $true
                                HostExchangeItems = [string[]]$hostXml
                            })))
            }
        }
        foreach ($r in $results) {
            if ($ResultClassName -and $r.psobject.BaseObject.CimClassName -ne $ResultClassName) { continue }
            $r
        }
    }
}

function Invoke-CimMethod {
    [CmdletBinding(DefaultParameterSetName = 'CimInstanceComputerSet')]
    param(
        [Parameter(ParameterSetName = 'CimInstanceComputerSet', Mandatory = $true, ValueFromPipeline = $true)][AetherV.HostSim.Cim.CimInstance]$InputObject,
        [Parameter(ParameterSetName = 'ClassNameComputerSet', Mandatory = $true, Position = 0)][string]$ClassName,
        [Parameter(Mandatory = $true, Position = 2)][string]$MethodName,
        [Parameter(Position = 1)][System.Collections.IDictionary]$Arguments,
        [string]$Namespace,
        [string[]]$ComputerName
    )
    process {
        $class = $ClassName
        if ($InputObject) { $class = $InputObject.CimClassName }
        if ($class -ne 'Msvm_VirtualSystemManagementService' -or @('AddKvpItems', 'ModifyKvpItems', 'RemoveKvpItems') -notcontains $MethodName) {
            $PSCmdlet.ThrowTerminatingError((New-SimErrorRecord -Message ('Method {0} of {1} is not provided by the simulated host.' -f $MethodName, $class) -ErrorId 'HRESULT 0x80041055' -Category NotImplemented -Target $MethodName))
        }
        $target = $null
        if ($null -ne $Arguments -and $Arguments.Contains('TargetSystem')) { $target = $Arguments['TargetSystem'] }
        if ($target -is [System.Management.Automation.PSObject]) { $target = $target.psobject.BaseObject }
        if ($target -isnot [AetherV.HostSim.Cim.CimInstance] -or $target.CimClassName -ne 'Msvm_ComputerSystem') {
            return (New-SimCimInstance -ClassName '__PARAMETERS' -Namespace $script:VirtualizationNamespace -Properties ([ordered]@{ ReturnValue = [uint32]32773; Job = $null }))
        }
        $items = @()
        if ($Arguments.Contains('DataItems')) { $items = @($Arguments['DataItems']) }
        $outcome = Invoke-SimLocked {
            $record = Get-SimRecordOf $target
            if ($null -eq $record) { return @{ Code = [uint32]32777; Error = '' } }
            $parsed = New-Object System.Collections.ArrayList
            foreach ($text in $items) {
                try { [void]$parsed.Add((Read-SimKvpItem ([string]$text))) }
                catch { return @{ Code = [uint32]32773; Error = '' } }
            }
            $hostItems = $record.kvp.host
            foreach ($item in $parsed) {
                $exists = $hostItems.Contains($item.Name)
                if ($MethodName -eq 'AddKvpItems' -and $exists) { return @{ Code = [uint32]4096; Error = ("The key '{0}' already exists; use ModifyKvpItems." -f $item.Name) } }
                if ($MethodName -ne 'AddKvpItems' -and -not $exists) { return @{ Code = [uint32]4096; Error = ("The key '{0}' does not exist." -f $item.Name) } }
            }
            foreach ($item in $parsed) {
                if ($MethodName -eq 'RemoveKvpItems') { $hostItems.Remove($item.Name) }
                else { $hostItems[$item.Name] = $item.Data }
                if ($item.Name -eq 'AetherV.Published') {
                    if ($MethodName -eq 'RemoveKvpItems') { $record.kvp.publishedAt = $null }
                    else { $record.kvp.publishedAt = Format-SimTime (Get-SimUtcNow) }
                }
            }
            Save-SimVmRecord $record
            return @{ Code = [uint32]4096; Error = '' }
        }
        $job = $null
        if ($outcome.Code -eq 4096) {
            # As Hyper-V does: the change is reported through an Msvm_ConcreteJob.
            $state = [uint16]7
            $errorCode = [uint16]0
            if ($outcome.Error) { $state = [uint16]10; $errorCode = [uint16]32768 }
            $job = New-SimCimInstance -ClassName 'Msvm_ConcreteJob' -Namespace $script:VirtualizationNamespace -Properties ([ordered]@{
                    InstanceID = [guid]::NewGuid().ToString().ToUpperInvariant(); JobState = $state; ErrorCode = $errorCode
                    ErrorDescription = [string]$outcome.Error; PercentComplete = [uint16]100; Name = $MethodName
                })
        }
        return (New-SimCimInstance -ClassName '__PARAMETERS' -Namespace $script:VirtualizationNamespace -Properties ([ordered]@{ ReturnValue = [uint32]$outcome.Code; Job = $job }))
    }
}

Export-ModuleMember -Function Get-CimInstance, Get-CimAssociatedInstance, Invoke-CimMethod
