#requires -Version 5.1

<#
.SYNOPSIS
    Job model of Invoke-ProvisioningJob.ps1 (dot-sourced, never run on its own).

.DESCRIPTION
    Holds the job schema (a copy of agent/schema/job.schema.json; the tests fail when the two
    differ), the rules a schema cannot express, the translation of a job into KVP items for the
    guest, the read-only host checks, and the list of steps with their parameters.
#>
Set-StrictMode -Version 3.0

# BEGIN job.schema.json
$script:ProvisioningJobSchemaJson = @'
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "urn:aetherv:agent:provisioning-job:1",
  "title": "Aether-V provisioning job",
  "description": "One virtual machine to create from a golden image and provision through Hyper-V KVP. Read by Invoke-ProvisioningJob.ps1, which embeds this schema and validates with a subset of JSON Schema (see agent/README.md).",
  "type": "object",
  "required": ["schemaVersion", "vm", "image", "guest"],
  "additionalProperties": false,
  "properties": {
    "schemaVersion": { "description": "Version of this job format.", "type": "integer", "enum": [1] },
    "jobId": {
      "description": "Caller's identifier, echoed in results and published to the guest as AetherV.JobId.",
      "type": "string",
      "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
    },
    "vm": {
      "type": "object",
      "required": ["name", "processorCount", "memory", "network"],
      "additionalProperties": false,
      "properties": {
        "name": {
          "description": "Hyper-V VM name; also the name of its folder under path.",
          "type": "string",
          "pattern": "^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$"
        },
        "generation": { "type": "integer", "enum": [1, 2], "default": 2 },
        "processorCount": { "type": "integer", "minimum": 1, "maximum": 240 },
        "memory": {
          "type": "object",
          "required": ["startupMB"],
          "additionalProperties": false,
          "properties": {
            "startupMB": { "type": "integer", "minimum": 32, "maximum": 12582912 },
            "dynamic": { "type": "boolean", "default": false },
            "minimumMB": { "type": "integer", "minimum": 32, "maximum": 12582912 },
            "maximumMB": { "type": "integer", "minimum": 32, "maximum": 12582912 }
          }
        },
        "path": {
          "description": "Folder that receives the VM folder; default: the host's VirtualMachinePath.",
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "network": {
          "type": "object",
          "required": ["switchName"],
          "additionalProperties": false,
          "properties": {
            "switchName": { "type": "string", "minLength": 1, "maxLength": 100 },
            "vlanId": { "type": "integer", "minimum": 1, "maximum": 4094 }
          }
        },
        "start": { "description": "Start the VM after registering it.", "type": "boolean", "default": true }
      }
    },
    "image": {
      "type": "object",
      "required": ["name"],
      "additionalProperties": false,
      "properties": {
        "name": {
          "description": "File name of the golden image (a .vhdx), no folders.",
          "type": "string",
          "pattern": "^[A-Za-z0-9][A-Za-z0-9 ._-]{0,150}\\.[Vv][Hh][Dd][Xx]$"
        },
        "directory": {
          "description": "Folder holding golden images; default: the host's VirtualHardDiskPath.",
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "sha256": { "type": "string", "pattern": "^[0-9A-Fa-f]{64}$" }
      }
    },
    "guest": {
      "type": "object",
      "required": ["os", "hostName"],
      "additionalProperties": false,
      "properties": {
        "os": { "type": "string", "enum": ["windows", "linux"] },
        "hostName": {
          "description": "Host name the guest applies (at most 15 characters for Windows guests).",
          "type": "string",
          "pattern": "^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"
        },
        "network": {
          "description": "Static IPv4 settings; omit for DHCP.",
          "type": "object",
          "required": ["ipv4Address", "prefixLength"],
          "additionalProperties": false,
          "properties": {
            "ipv4Address": { "type": "string", "pattern": "^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$" },
            "prefixLength": { "type": "integer", "minimum": 1, "maximum": 32 },
            "gateway": { "type": "string", "pattern": "^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$" },
            "dnsServers": {
              "type": "array",
              "maxItems": 4,
              "uniqueItems": true,
              "items": { "type": "string", "pattern": "^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$" }
            }
          }
        },
        "domain": {
          "description": "Active Directory join (Windows guests only). The password is published through KVP and removed again once the guest reports readiness.",
          "type": "object",
          "required": ["name", "user", "password"],
          "additionalProperties": false,
          "properties": {
            "name": { "type": "string", "pattern": "^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))+$" },
            "ouPath": { "type": "string", "minLength": 1, "maxLength": 1000 },
            "user": { "type": "string", "minLength": 1, "maxLength": 256 },
            "password": { "type": "string", "minLength": 1, "maxLength": 1000 }
          }
        },
        "adminUser": {
          "description": "Linux guests: account created with sudo rights and the SSH keys below.",
          "type": "string",
          "pattern": "^[a-z_][a-z0-9_-]{0,31}$"
        },
        "sshAuthorizedKeys": {
          "type": "array",
          "maxItems": 8,
          "items": { "type": "string", "minLength": 16, "maxLength": 1000, "pattern": "^(ssh-|ecdsa-|sk-)[^\\r\\n]+$" }
        },
        "data": {
          "description": "Extra key/value pairs, published as AetherV.Data.<key>.",
          "type": "object",
          "maxProperties": 64,
          "propertyNames": { "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$" },
          "additionalProperties": { "type": "string", "maxLength": 1023 }
        }
      }
    },
    "wait": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "timeoutSeconds": { "type": "integer", "minimum": 10, "maximum": 86400, "default": 1800 },
        "pollIntervalSeconds": { "type": "integer", "minimum": 1, "maximum": 300, "default": 5 }
      }
    }
  }
}
'@
# END job.schema.json

$script:KvpCommitKey = 'AetherV.Published'

function Get-JobMember {
    <# A member of a parsed JSON object, or -Default when it is absent. #>
    param($Object, [string]$Name, $Default = $null)
    if ($null -eq $Object) { return $Default }
    $property = $Object.PSObject.Properties[$Name]
    if ($null -eq $property) { return $Default }
    return $property.Value
}

function Get-ProvisioningJobSchema {
    return (ConvertFrom-Json -InputObject $script:ProvisioningJobSchemaJson)
}

function Test-ProvisioningJob {
    <# All problems of a parsed job (schema first, then cross-field rules); empty when valid. #>
    param([Parameter(Mandatory = $true)][AllowNull()]$Job)
    $errors = New-Object System.Collections.ArrayList
    foreach ($e in (Test-AgentJsonSchema -Value $Job -Schema (Get-ProvisioningJobSchema) -Path '$')) { [void]$errors.Add($e) }
    if ($errors.Count -gt 0) { return , $errors }

    $memory = $Job.vm.memory
    $dynamic = [bool](Get-JobMember $memory 'dynamic' $false)
    $startup = [long]$memory.startupMB
    $minimum = Get-JobMember $memory 'minimumMB'
    $maximum = Get-JobMember $memory 'maximumMB'
    if ($dynamic) {
        if ($null -ne $minimum -and [long]$minimum -gt $startup) { [void]$errors.Add('$.vm.memory: minimumMB must not exceed startupMB') }
        if ($null -ne $maximum -and [long]$maximum -lt $startup) { [void]$errors.Add('$.vm.memory: maximumMB must not be below startupMB') }
    } elseif ($null -ne $minimum -or $null -ne $maximum) {
        [void]$errors.Add('$.vm.memory: minimumMB/maximumMB apply only with "dynamic": true')
    }
    $guest = $Job.guest
    if ($guest.os -eq 'windows') {
        if ($guest.hostName.Length -gt 15) { [void]$errors.Add('$.guest.hostName: Windows host names have at most 15 characters') }
        if ($guest.hostName -match '^[0-9]+$') { [void]$errors.Add('$.guest.hostName: Windows host names cannot be all digits') }
        if ($null -ne (Get-JobMember $guest 'adminUser') -or $null -ne (Get-JobMember $guest 'sshAuthorizedKeys')) {
            [void]$errors.Add('$.guest: adminUser and sshAuthorizedKeys apply to Linux guests only')
        }
    } else {
        if ($null -ne (Get-JobMember $guest 'domain')) { [void]$errors.Add('$.guest.domain: domain join applies to Windows guests only') }
        if ($null -ne (Get-JobMember $guest 'sshAuthorizedKeys') -and $null -eq (Get-JobMember $guest 'adminUser')) {
            [void]$errors.Add('$.guest.sshAuthorizedKeys: needs adminUser')
        }
    }
    $network = Get-JobMember $guest 'network'
    if ($null -ne $network -and $null -ne (Get-JobMember $network 'gateway')) {
        $address = [System.Net.IPAddress]::Parse($network.ipv4Address).GetAddressBytes()
        $gateway = [System.Net.IPAddress]::Parse($network.gateway).GetAddressBytes()
        $prefix = [int]$network.prefixLength
        $sameSubnet = $true
        for ($i = 0; $i -lt 4; $i++) {
            $bits = [Math]::Max(0, [Math]::Min(8, $prefix - 8 * $i))
            $mask = (0xFF -shl (8 - $bits)) -band 0xFF
            if (($address[$i] -band $mask) -ne ($gateway[$i] -band $mask)) { $sameSubnet = $false }
        }
        if (-not $sameSubnet) { [void]$errors.Add('$.guest.network.gateway: not inside ipv4Address/prefixLength') }
    }
    return , $errors
}

function Get-ProvisioningPlan {
    <# Turns a valid job into the values the steps use, and the KVP items for the guest. #>
    param([Parameter(Mandatory = $true)]$Job)
    $jobId = [string](Get-JobMember $Job 'jobId' '')
    if (-not $jobId) { $jobId = 'job-' + [guid]::NewGuid().ToString('N').Substring(0, 12) }
    $vm = $Job.vm
    $memory = $vm.memory
    $guest = $Job.guest
    $items = [ordered]@{}
    $items['AetherV.JobId'] = $jobId
    $items['AetherV.OS'] = [string]$guest.os
    $items['AetherV.HostName'] = [string]$guest.hostName
    $sensitive = New-Object System.Collections.ArrayList
    $network = Get-JobMember $guest 'network'
    if ($null -ne $network) {
        $items['AetherV.Network.IPv4Address'] = [string]$network.ipv4Address
        $items['AetherV.Network.PrefixLength'] = [string]$network.prefixLength
        $gateway = Get-JobMember $network 'gateway'
        if ($null -ne $gateway) { $items['AetherV.Network.Gateway'] = [string]$gateway }
        $dns = @(Get-JobMember $network 'dnsServers' @())
        if ($dns.Count -gt 0) { $items['AetherV.Network.DnsServers'] = ($dns -join ',') }
    }
    $domain = Get-JobMember $guest 'domain'
    if ($null -ne $domain) {
        $items['AetherV.Domain.Name'] = [string]$domain.name
        $ou = Get-JobMember $domain 'ouPath'
        if ($null -ne $ou) { $items['AetherV.Domain.OUPath'] = [string]$ou }
        $items['AetherV.Domain.User'] = [string]$domain.user
        $items['AetherV.Domain.Password'] = [string]$domain.password
        [void]$sensitive.Add('AetherV.Domain.Password')
    }
    $adminUser = Get-JobMember $guest 'adminUser'
    if ($null -ne $adminUser) { $items['AetherV.Linux.AdminUser'] = [string]$adminUser }
    $keys = @(Get-JobMember $guest 'sshAuthorizedKeys' @())
    for ($i = 0; $i -lt $keys.Count; $i++) { $items[('AetherV.Linux.SshKey.{0}' -f $i)] = [string]$keys[$i] }
    $data = Get-JobMember $guest 'data'
    if ($null -ne $data) {
        foreach ($pair in (Get-AgentObjectProperties $data)) { $items[('AetherV.Data.{0}' -f $pair.Name)] = [string]$pair.Value }
    }
    $wait = Get-JobMember $Job 'wait'
    $network = $vm.network
    return [pscustomobject]@{
        JobId           = $jobId
        VMName          = [string]$vm.name
        OS              = [string]$guest.os
        Generation      = [int](Get-JobMember $vm 'generation' 2)
        ProcessorCount  = [int]$vm.processorCount
        MemoryStartupMB = [long]$memory.startupMB
        DynamicMemory   = [bool](Get-JobMember $memory 'dynamic' $false)
        MemoryMinimumMB = [long](Get-JobMember $memory 'minimumMB' 0)
        MemoryMaximumMB = [long](Get-JobMember $memory 'maximumMB' 0)
        VMRootPath      = [string](Get-JobMember $vm 'path' '')
        SwitchName      = [string]$network.switchName
        VlanId          = [int](Get-JobMember $network 'vlanId' 0)
        Start           = [bool](Get-JobMember $vm 'start' $true)
        ImageName       = [string]$Job.image.name
        ImageDirectory  = [string](Get-JobMember $Job.image 'directory' '')
        ImageSha256     = [string](Get-JobMember $Job.image 'sha256' '')
        WaitTimeout     = [int](Get-JobMember $wait 'timeoutSeconds' 1800)
        WaitInterval    = [int](Get-JobMember $wait 'pollIntervalSeconds' 5)
        KvpItems        = $items
        SensitiveKeys   = @($sensitive)
    }
}

function Get-ProvisioningIsoName {
    param([Parameter(Mandatory = $true)][string]$OS)
    if ($OS -eq 'linux') { return 'LinuxProvisioning.iso' }
    return 'WindowsProvisioning.iso'
}

function Test-ProvisioningHost {
    <# Read-only checks of the host; fills in default paths on -Plan; returns the problems. #>
    param([Parameter(Mandatory = $true)]$Plan, [Parameter(Mandatory = $true)][string]$ScriptRoot)
    $problems = New-Object System.Collections.ArrayList
    try {
        $vmHost = Get-VMHost -ErrorAction Stop
    } catch {
        [void]$problems.Add(('Hyper-V is not usable on this host: {0}' -f $_.Exception.Message))
        return , $problems
    }
    if (-not $Plan.VMRootPath) { $Plan.VMRootPath = [string]$vmHost.VirtualMachinePath }
    if (-not $Plan.ImageDirectory) { $Plan.ImageDirectory = [string]$vmHost.VirtualHardDiskPath }
    if (@(Get-VM -Name $Plan.VMName -ErrorAction SilentlyContinue).Count -gt 0) {
        [void]$problems.Add(("a virtual machine named '{0}' already exists" -f $Plan.VMName))
    }
    if (@(Get-VMSwitch -Name $Plan.SwitchName -ErrorAction SilentlyContinue).Count -eq 0) {
        [void]$problems.Add(("there is no virtual switch named '{0}'" -f $Plan.SwitchName))
    }
    $image = Join-Path $Plan.ImageDirectory $Plan.ImageName
    if (-not (Test-Path -LiteralPath $image -PathType Leaf)) { [void]$problems.Add(("golden image '{0}' does not exist" -f $image)) }
    $iso = Join-Path $ScriptRoot (Get-ProvisioningIsoName $Plan.OS)
    if (-not (Test-Path -LiteralPath $iso -PathType Leaf)) { [void]$problems.Add(("provisioning ISO '{0}' is missing: deploy the agent bundle" -f $iso)) }
    $disk = Get-ProvisioningDiskPath -Plan $Plan
    if (Test-Path -LiteralPath $disk) { [void]$problems.Add(("VM disk '{0}' already exists" -f $disk)) }
    return , $problems
}

function Get-ProvisioningDiskPath {
    param([Parameter(Mandatory = $true)]$Plan)
    $folder = Get-AgentVmFolder -VMRootPath $Plan.VMRootPath -VMName $Plan.VMName
    return (Join-Path (Join-Path $folder 'Virtual Hard Disks') ($Plan.VMName + '.vhdx'))
}

function Get-ProvisioningSteps {
    <# The steps of a plan whose paths are resolved (after Test-ProvisioningHost). #>
    param([Parameter(Mandatory = $true)]$Plan)
    $vmFolder = Get-AgentVmFolder -VMRootPath $Plan.VMRootPath -VMName $Plan.VMName
    $notStarted = ''
    if (-not $Plan.Start) { $notStarted = 'vm.start is false: the guest is not running' }
    $copyImage = @{ ImageName = $Plan.ImageName; ImageDirectory = $Plan.ImageDirectory; VMName = $Plan.VMName; VMRootPath = $Plan.VMRootPath }
    if ($Plan.ImageSha256) { $copyImage['ExpectedSha256'] = $Plan.ImageSha256 }
    $register = @{
        VMName = $Plan.VMName; VMRootPath = $Plan.VMRootPath; Generation = $Plan.Generation
        ProcessorCount = $Plan.ProcessorCount; MemoryStartupMB = $Plan.MemoryStartupMB
        DynamicMemory = $Plan.DynamicMemory; MemoryMinimumMB = $Plan.MemoryMinimumMB; MemoryMaximumMB = $Plan.MemoryMaximumMB
        SwitchName = $Plan.SwitchName; VlanId = $Plan.VlanId
        VhdPath = (Get-ProvisioningDiskPath -Plan $Plan); IsoPath = (Join-Path $vmFolder (Get-ProvisioningIsoName $Plan.OS))
        OperatingSystem = $Plan.OS; Start = $Plan.Start
        Notes = ('Created by Aether-V provisioning job {0}' -f $Plan.JobId)
    }
    $publish = @{ VMName = $Plan.VMName; Data = $Plan.KvpItems; CommitKey = $script:KvpCommitKey; CommitValue = $Plan.JobId }
    $wait = @{ VMName = $Plan.VMName; TimeoutSeconds = $Plan.WaitTimeout; PollIntervalSeconds = $Plan.WaitInterval }
    $cleanup = @{ VMName = $Plan.VMName; RemoveKey = @($Plan.SensitiveKeys) }
    return @(
        [pscustomobject]@{ Name = 'copyImage'; Script = 'Provisioning.CopyImage.ps1'; Parameters = $copyImage; NeedsVmId = $false; Always = $false; Skip = '' },
        [pscustomobject]@{ Name = 'copyProvisioningIso'; Script = 'Provisioning.CopyProvisioningISO.ps1'; Parameters = @{ OperatingSystem = $Plan.OS; VMName = $Plan.VMName; VMRootPath = $Plan.VMRootPath }; NeedsVmId = $false; Always = $false; Skip = '' },
        [pscustomobject]@{ Name = 'registerVM'; Script = 'Provisioning.RegisterVM.ps1'; Parameters = $register; NeedsVmId = $false; Always = $false; Skip = '' },
        [pscustomobject]@{ Name = 'publishProvisioningData'; Script = 'Provisioning.PublishProvisioningData.ps1'; Parameters = $publish; NeedsVmId = $true; Always = $false; Skip = $notStarted },
        [pscustomobject]@{ Name = 'waitForProvisioningKey'; Script = 'Provisioning.WaitForProvisioningKey.ps1'; Parameters = $wait; NeedsVmId = $true; Always = $false; Skip = $notStarted },
        [pscustomobject]@{ Name = 'removeSensitiveData'; Script = 'Provisioning.PublishProvisioningData.ps1'; Parameters = $cleanup; NeedsVmId = $true; Always = $true; Skip = '' }
    )
}
