#requires -Version 5.1

<#
.SYNOPSIS
    Waits until a VM's guest reports provisioning readiness through Hyper-V KVP.

.DESCRIPTION
    Polls the guest's KVP items (Msvm_KvpExchangeComponent.GuestExchangeItems of the VM's
    Msvm_ComputerSystem, namespace root\virtualization\v2) until the key -Key holds
    -ReadyValue (success), holds -FailedValue (the guest gave up: fails at once with the guest's
    message from -MessageKey), or -TimeoutSeconds pass (fails with the last value seen).
    The provisioning services on the ISOs write AetherV.ProvisioningStatus =
    InProgress | Ready | Failed and AetherV.ProvisioningMessage.

.PARAMETER VMName
    Name of the VM (must be unique on the host; otherwise use -VMId).
.PARAMETER VMId
    Id (GUID) of the VM.
.PARAMETER Key
    Guest key to watch. Default AetherV.ProvisioningStatus.
.PARAMETER ReadyValue
    Value meaning success. Default Ready.
.PARAMETER FailedValue
    Value meaning failure. Default Failed.
.PARAMETER MessageKey
    Guest key with a human-readable status. Default AetherV.ProvisioningMessage.
.PARAMETER TimeoutSeconds
    How long to wait. Default 1800.
.PARAMETER PollIntervalSeconds
    Pause between polls. Default 5.

.OUTPUTS
    JSON lines: a progress line whenever the watched value changes, then the result.
    Result data: vmName, key, value, message, elapsedSeconds, polls.
    Error codes: InvalidArgument, VMNotFound, VMAmbiguous, GuestReportedFailure, Timeout.

.EXAMPLE
    .\Provisioning.WaitForProvisioningKey.ps1 -VMName web-01 -TimeoutSeconds 900
#>
[CmdletBinding()]
param(
    [string]$VMName,
    [string]$VMId,
    [string]$Key = 'AetherV.ProvisioningStatus',
    [string]$ReadyValue = 'Ready',
    [string]$FailedValue = 'Failed',
    [string]$MessageKey = 'AetherV.ProvisioningMessage',
    [ValidateRange(1, 604800)][int]$TimeoutSeconds = 1800,
    [ValidateRange(1, 3600)][int]$PollIntervalSeconds = 5
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
. (Join-Path $PSScriptRoot 'AetherV.Agent.Common.ps1')

function Get-GuestKvpItems {
    <# The guest's KVP items of one VM as Name -> Data (empty while the component is absent). #>
    param($ComputerSystem)
    $components = @(Get-CimAssociatedInstance -InputObject $ComputerSystem -ResultClassName 'Msvm_KvpExchangeComponent' -ErrorAction Stop)
    if ($components.Count -eq 0) { return [ordered]@{} }
    $items = $components[0].GuestExchangeItems
    if ($null -eq $items) { return [ordered]@{} }
    return (ConvertFrom-AgentKvpItemXml -Items @($items))
}

Invoke-AgentScript -Name 'Provisioning.WaitForProvisioningKey' -Body {
    if (-not $VMName -and -not $VMId) { throw (New-AgentError -Code 'InvalidArgument' -Message 'Give -VMName or -VMId.') }
    if (-not $Key) { throw (New-AgentError -Code 'InvalidArgument' -Message 'The key to wait for is empty.') }
    $computerSystem = Get-AgentVmCimInstance -VMName $VMName -VMId $VMId
    $label = [string]$computerSystem.ElementName
    $started = Get-AgentUtcNow
    $deadline = $started.AddSeconds($TimeoutSeconds)
    $lastValue = $null
    $lastMessage = ''
    $polls = 0
    Write-AgentProgress -Stage 'wait' -Message ("Waiting up to {0} s for '{1}' = '{2}' from VM '{3}'" -f $TimeoutSeconds, $Key, $ReadyValue, $label)
    while ($true) {
        $polls++
        $items = Get-GuestKvpItems -ComputerSystem $computerSystem
        $value = $null
        if ($items.Contains($Key)) { $value = [string]$items[$Key] }
        if ($items.Contains($MessageKey)) { $lastMessage = [string]$items[$MessageKey] }
        if ($value -ne $lastValue) {
            $lastValue = $value
            if ($null -ne $value) {
                $text = "Guest reports '{0}' = '{1}'" -f $Key, $value
                if ($lastMessage) { $text = $text + (' ({0})' -f $lastMessage) }
                Write-AgentProgress -Stage 'wait' -Message $text
            }
        }
        $elapsed = [Math]::Round(((Get-AgentUtcNow) - $started).TotalSeconds, 1)
        if ($null -ne $value -and $value -eq $ReadyValue) {
            [ordered]@{ vmName = $label; key = $Key; value = $value; message = $lastMessage; elapsedSeconds = $elapsed; polls = $polls }
            return
        }
        if ($null -ne $value -and $value -eq $FailedValue) {
            $details = [ordered]@{ key = $Key; value = $value; message = $lastMessage; elapsedSeconds = $elapsed }
            throw (New-AgentError -Code 'GuestReportedFailure' -Message ("VM '{0}' reported provisioning failure: {1}" -f $label, $lastMessage) -Details $details)
        }
        $now = Get-AgentUtcNow
        if ($now -ge $deadline) {
            $seen = 'no value'
            if ($null -ne $lastValue) { $seen = "'" + $lastValue + "'" }
            $details = [ordered]@{ key = $Key; lastValue = $lastValue; message = $lastMessage; elapsedSeconds = $elapsed; polls = $polls }
            throw (New-AgentError -Code 'Timeout' -Message ("VM '{0}' did not report '{1}' = '{2}' within {3} s (last seen: {4})." -f $label, $Key, $ReadyValue, $TimeoutSeconds, $seen) -Details $details)
        }
        $remaining = ($deadline - $now).TotalSeconds
        Start-Sleep -Seconds ([int][Math]::Max(1, [Math]::Min($PollIntervalSeconds, [Math]::Ceiling($remaining))))
    }
}
exit $script:AgentExitCode
