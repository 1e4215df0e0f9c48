#requires -Version 5.1

<#
.SYNOPSIS
    Publishes key/value pairs into a VM's guest through Hyper-V KVP (host-to-guest items).

.DESCRIPTION
    Every key and value is checked against the KVP record sizes before anything is sent (keys
    at most 255 characters / 511 UTF-8 bytes, values at most 1023 characters / 2047 UTF-8
    bytes). Keys the VM already carries (Msvm_KvpExchangeComponentSettingData.HostExchangeItems)
    are changed with ModifyKvpItems, new keys are added with AddKvpItems, and -RemoveKey keys
    are deleted with RemoveKvpItems, all on Msvm_VirtualSystemManagementService with
    Msvm_KvpExchangeDataItem embedded instances (Source = 0). -CommitKey is published last, in
    its own call, so a guest that sees it knows every other item is present. A call that fails
    (the guest's integration services still starting, for example) is retried until
    -TimeoutSeconds. Values are never written to the output, only key names.

.PARAMETER VMName
    Name of the VM (must be unique on the host; otherwise use -VMId).
.PARAMETER VMId
    Id (GUID) of the VM.
.PARAMETER Data
    Dictionary of key -> string value to publish.
.PARAMETER DataJson
    The same as a JSON object of string values (for callers that pass text).
.PARAMETER RemoveKey
    Keys to delete from the guest's host-to-guest pool.
.PARAMETER CommitKey
    Key published after all others (for example AetherV.Published).
.PARAMETER CommitValue
    Value of -CommitKey.
.PARAMETER TimeoutSeconds
    How long failed calls are retried. Default 120.
.PARAMETER RetryIntervalSeconds
    Pause between attempts. Default 5.

.OUTPUTS
    JSON lines. Result data: vmName, added, modified, removed (key names), attempts.
    Error codes: InvalidArgument, ValueTooLarge (details: problems), VMNotFound, VMAmbiguous,
    ServiceNotFound, KvpFailed (details: method, returnValue, keys, done).

.EXAMPLE
    .\Provisioning.PublishProvisioningData.ps1 -VMName web-01 -Data @{ 'AetherV.HostName' = 'web-01' } -CommitKey AetherV.Published -CommitValue job-42
#>
[CmdletBinding()]
param(
    [string]$VMName,
    [string]$VMId,
    [System.Collections.IDictionary]$Data,
    [string]$DataJson,
    [string[]]$RemoveKey = @(),
    [string]$CommitKey,
    [string]$CommitValue = '',
    [ValidateRange(0, 3600)][int]$TimeoutSeconds = 120,
    [ValidateRange(1, 300)][int]$RetryIntervalSeconds = 5
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
. (Join-Path $PSScriptRoot 'AetherV.Agent.Common.ps1')

$script:KvpReturnText = @{
    32768 = 'failed'; 32769 = 'access denied'; 32770 = 'not supported'; 32771 = 'status unknown'
    32772 = 'timeout'; 32773 = 'invalid parameter'; 32774 = 'system in use'; 32775 = 'invalid state'
    32776 = 'incorrect data type'; 32777 = 'system not available'; 32778 = 'out of memory'
}

function Get-HostKvpKeys {
    <# Names of the host-to-guest items the VM already carries. #>
    param($ComputerSystem)
    $names = New-Object System.Collections.ArrayList
    $settings = @(Get-CimAssociatedInstance -InputObject $ComputerSystem -ResultClassName 'Msvm_VirtualSystemSettingData' -ErrorAction Stop |
            Where-Object { $_.VirtualSystemType -eq 'Microsoft:Hyper-V:System:Realized' })
    foreach ($setting in $settings) {
        foreach ($kvp in @(Get-CimAssociatedInstance -InputObject $setting -ResultClassName 'Msvm_KvpExchangeComponentSettingData' -ErrorAction Stop)) {
            if ($null -eq $kvp.HostExchangeItems) { continue }
            foreach ($name in (ConvertFrom-AgentKvpItemXml -Items @($kvp.HostExchangeItems)).Keys) { [void]$names.Add([string]$name) }
        }
    }
    return , $names
}

function Wait-KvpJob {
    <# Follows an Msvm_ConcreteJob until it ends; returns $null on success, else the reason. #>
    param($Job, [DateTime]$Deadline)
    $current = $Job
    while ($true) {
        $current = Get-CimInstance -InputObject $current -ErrorAction Stop
        $state = [int]$current.JobState
        if ($state -eq 7) { return $null }
        if ($state -notin @(2, 3, 4, 5, 6, 11)) {
            return ('job ended in state {0}: {1}' -f $state, $current.ErrorDescription)
        }
        if ((Get-AgentUtcNow) -ge $Deadline) { return ('job still in state {0} at the deadline' -f $state) }
        Start-Sleep -Milliseconds 500
    }
}

function Invoke-KvpMethod {
    <# Calls one KVP method with retries, adding its attempts to -Attempts; throws KvpFailed. #>
    param($Service, $ComputerSystem, [string]$Method, [string[]]$Items, [string[]]$Keys, [string[]]$Done, [ref]$Attempts)
    $deadline = (Get-AgentUtcNow).AddSeconds($TimeoutSeconds)
    $attempt = 0
    while ($true) {
        $attempt++
        $Attempts.Value = $Attempts.Value + 1
        $reason = $null
        $returnValue = $null
        try {
            $outcome = Invoke-CimMethod -InputObject $Service -MethodName $Method -Arguments @{ TargetSystem = $ComputerSystem; DataItems = $Items } -ErrorAction Stop
            $returnValue = [int]$outcome.ReturnValue
            if ($returnValue -eq 4096) {
                $reason = Wait-KvpJob -Job $outcome.Job -Deadline $deadline
            } elseif ($returnValue -ne 0) {
                $text = $script:KvpReturnText[$returnValue]
                if (-not $text) { $text = 'unknown error' }
                $reason = ('{0} returned {1} ({2})' -f $Method, $returnValue, $text)
            }
        } catch {
            $reason = $_.Exception.Message
        }
        if ($null -eq $reason) { return }
        if ((Get-AgentUtcNow) -ge $deadline) {
            $details = [ordered]@{ method = $Method; returnValue = $returnValue; keys = @($Keys); done = @($Done); attempts = $attempt }
            throw (New-AgentError -Code 'KvpFailed' -Message ("{0} for key(s) {1} failed after {2} attempt(s): {3}" -f $Method, ($Keys -join ', '), $attempt, $reason) -Details $details)
        }
        Write-AgentProgress -Stage 'retry' -Message ("{0} attempt {1} failed ({2}); retrying" -f $Method, $attempt, $reason)
        Start-Sleep -Seconds $RetryIntervalSeconds
    }
}

Invoke-AgentScript -Name 'Provisioning.PublishProvisioningData' -Body {
    if (-not $VMName -and -not $VMId) { throw (New-AgentError -Code 'InvalidArgument' -Message 'Give -VMName or -VMId.') }
    if ($null -ne $Data -and $DataJson) { throw (New-AgentError -Code 'InvalidArgument' -Message 'Give -Data or -DataJson, not both.') }
    $pairs = [ordered]@{}
    if ($DataJson) {
        try { $parsed = ConvertFrom-Json -InputObject $DataJson } catch { throw (New-AgentError -Code 'InvalidArgument' -Message ('DataJson is not valid JSON: {0}' -f $_.Exception.Message)) }
        if ((Get-AgentJsonType $parsed) -ne 'object') { throw (New-AgentError -Code 'InvalidArgument' -Message 'DataJson must be a JSON object of strings.') }
        foreach ($pair in (Get-AgentObjectProperties $parsed)) {
            if ((Get-AgentJsonType $pair.Value) -ne 'string') { throw (New-AgentError -Code 'InvalidArgument' -Message ("DataJson value of '{0}' is not a string." -f $pair.Name)) }
            $pairs[$pair.Name] = [string]$pair.Value
        }
    } elseif ($null -ne $Data) {
        foreach ($entry in $Data.GetEnumerator()) {
            if ($null -eq $entry.Value) { throw (New-AgentError -Code 'InvalidArgument' -Message ("The value of '{0}' is null." -f $entry.Key)) }
            $pairs[[string]$entry.Key] = [string]$entry.Value
        }
    }
    if ($CommitKey -and $pairs.Contains($CommitKey)) { throw (New-AgentError -Code 'InvalidArgument' -Message ("'{0}' is both a data key and the commit key." -f $CommitKey)) }
    if ($pairs.Count -eq 0 -and $RemoveKey.Count -eq 0 -and -not $CommitKey) {
        throw (New-AgentError -Code 'InvalidArgument' -Message 'Nothing to publish or remove.')
    }

    $problems = New-Object System.Collections.ArrayList
    foreach ($k in $pairs.Keys) {
        $problem = Test-AgentKvpSize -Key $k -Value $pairs[$k]
        if ($problem) { [void]$problems.Add($problem) }
    }
    if ($CommitKey) {
        $problem = Test-AgentKvpSize -Key $CommitKey -Value $CommitValue
        if ($problem) { [void]$problems.Add($problem) }
    }
    foreach ($k in $RemoveKey) {
        $problem = Test-AgentKvpSize -Key $k -Value ''
        if ($problem) { [void]$problems.Add($problem) }
    }
    if ($problems.Count -gt 0) {
        throw (New-AgentError -Code 'ValueTooLarge' -Message ("{0} item(s) do not fit a KVP record: {1}" -f $problems.Count, ($problems -join '; ')) -Details ([ordered]@{ problems = @($problems) }))
    }

    $computerSystem = Get-AgentVmCimInstance -VMName $VMName -VMId $VMId
    $label = [string]$computerSystem.ElementName
    $services = @(Get-CimInstance -Namespace $script:AgentVirtualizationNamespace -ClassName 'Msvm_VirtualSystemManagementService' -ErrorAction Stop)
    if ($services.Count -eq 0) { throw (New-AgentError -Code 'ServiceNotFound' -Message 'Msvm_VirtualSystemManagementService is not available: is the Hyper-V role installed?') }
    $service = $services[0]
    $existing = Get-HostKvpKeys -ComputerSystem $computerSystem

    $toAdd = New-Object System.Collections.ArrayList
    $toModify = New-Object System.Collections.ArrayList
    foreach ($k in $pairs.Keys) {
        if ($existing -contains $k) { [void]$toModify.Add($k) } else { [void]$toAdd.Add($k) }
    }
    $toRemove = @($RemoveKey | Where-Object { $existing -contains $_ })
    $done = New-Object System.Collections.ArrayList
    $attempts = 0
    $batches = @(
        @{ Method = 'ModifyKvpItems'; Names = @($toModify) },
        @{ Method = 'AddKvpItems'; Names = @($toAdd) },
        @{ Method = 'RemoveKvpItems'; Names = @($toRemove) }
    )
    foreach ($batch in $batches) {
        if ($batch.Names.Count -eq 0) { continue }
        $xml = @($batch.Names | ForEach-Object {
                $value = ''
                if ($pairs.Contains($_)) { $value = $pairs[$_] }
                ConvertTo-AgentKvpItemXml -Name $_ -Data $value -Source 0
            })
        Write-AgentProgress -Stage 'publish' -Message ("{0}: {1} item(s) for VM '{2}'" -f $batch.Method, $batch.Names.Count, $label)
        Invoke-KvpMethod -Service $service -ComputerSystem $computerSystem -Method $batch.Method -Items $xml -Keys $batch.Names -Done @($done) -Attempts ([ref]$attempts)
        foreach ($k in $batch.Names) { [void]$done.Add($k) }
    }
    $added = @($toAdd)
    $modified = @($toModify)
    if ($CommitKey) {
        $method = 'AddKvpItems'
        if ($existing -contains $CommitKey) { $method = 'ModifyKvpItems' }
        $xml = @(ConvertTo-AgentKvpItemXml -Name $CommitKey -Data $CommitValue -Source 0)
        Invoke-KvpMethod -Service $service -ComputerSystem $computerSystem -Method $method -Items $xml -Keys @($CommitKey) -Done @($done) -Attempts ([ref]$attempts)
        if ($method -eq 'AddKvpItems') { $added += $CommitKey } else { $modified += $CommitKey }
    }

    [ordered]@{
        vmName   = $label
        added    = $added
        modified = $modified
        removed  = $toRemove
        attempts = $attempts
    }
}
exit $script:AgentExitCode
