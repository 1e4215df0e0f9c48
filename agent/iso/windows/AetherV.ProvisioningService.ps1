#requires -Version 5.1

<#
.SYNOPSIS
    Aether-V guest provisioning service for Windows (runs at startup as SYSTEM).

.DESCRIPTION
    Reads the provisioning data the Hyper-V host published through KVP (registry key
    HKLM:\SOFTWARE\Microsoft\Virtual Machine\External, keys AetherV.*), waits until the host's
    commit key AetherV.Published is present, then applies:
      * static IPv4 address, gateway and DNS servers (when AetherV.Network.* are given);
      * the host name (AetherV.HostName);
      * an Active Directory join (AetherV.Domain.*), with the new name in the same step.
    Renames and joins need a restart: the service records its phase in a state file, restarts
    the computer, and continues at the next start. Progress goes back to the host through the
    guest KVP pool (HKLM:\SOFTWARE\Microsoft\Virtual Machine\Guest):
      AetherV.ProvisioningStatus  = InProgress | Ready | Failed
      AetherV.ProvisioningMessage = what happened (never a secret)
    Nothing on the ISO holds a password; the domain password only ever comes from KVP, is used
    in memory, and is never logged.

.PARAMETER StateDirectory
    Folder for the state file and the log. Default: %ProgramData%\AetherV\Provisioning.
.PARAMETER DataTimeoutSeconds
    How long to wait for the host's data. Default 3600.
.PARAMETER NoRestart
    Do not restart the computer after a rename or join (the next start continues).

.NOTES
    Installed by Install-AetherVProvisioning.ps1 as the scheduled task "AetherV Provisioning".
#>
[CmdletBinding()]
param(
    [string]$StateDirectory = (Join-Path $env:ProgramData 'AetherV\Provisioning'),
    [ValidateRange(10, 86400)][int]$DataTimeoutSeconds = 3600,
    [switch]$NoRestart
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$script:ExternalKeyPath = 'HKLM:\SOFTWARE\Microsoft\Virtual Machine\External'
$script:GuestKeyPath = 'HKLM:\SOFTWARE\Microsoft\Virtual Machine\Guest'
$script:TaskName = 'AetherV Provisioning'
$script:MaxRestarts = 3

function Write-ServiceLog {
    param([Parameter(Mandatory = $true)][string]$Message)
    $line = '{0} {1}' -f [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ssZ'), $Message
    if (-not (Test-Path -LiteralPath $StateDirectory)) { [void](New-Item -ItemType Directory -Path $StateDirectory -Force) }
    Add-Content -LiteralPath (Join-Path $StateDirectory 'provisioning.log') -Value $line -Encoding UTF8
}

function Read-HostKvp {
    <# The host-to-guest KVP items (AetherV.* only) as a hashtable. #>
    $values = @{}
    if (-not (Test-Path -LiteralPath $script:ExternalKeyPath)) { return $values }
    $item = Get-ItemProperty -LiteralPath $script:ExternalKeyPath
    foreach ($property in $item.PSObject.Properties) {
        if ($property.Name -like 'AetherV.*') { $values[$property.Name] = [string]$property.Value }
    }
    return $values
}

function Write-GuestKvp {
    <# Sets one guest-to-host KVP item. #>
    param([Parameter(Mandatory = $true)][string]$Name, [Parameter(Mandatory = $true)][AllowEmptyString()][string]$Value)
    if ($Value.Length -gt 1023) { $Value = $Value.Substring(0, 1020) + '...' }
    if (-not (Test-Path -LiteralPath $script:GuestKeyPath)) { [void](New-Item -Path $script:GuestKeyPath -Force) }
    [void](New-ItemProperty -LiteralPath $script:GuestKeyPath -Name $Name -Value $Value -PropertyType String -Force)
}

function Set-ProvisioningStatus {
    param([Parameter(Mandatory = $true)][ValidateSet('InProgress', 'Ready', 'Failed')][string]$Status, [string]$Message = '')
    Write-GuestKvp -Name 'AetherV.ProvisioningMessage' -Value $Message
    Write-GuestKvp -Name 'AetherV.ProvisioningStatus' -Value $Status
    Write-ServiceLog ('status {0}: {1}' -f $Status, $Message)
}

function Read-ProvisioningState {
    $path = Join-Path $StateDirectory 'state.json'
    if (-not (Test-Path -LiteralPath $path)) { return [pscustomobject]@{ jobId = ''; phase = 'New'; restarts = 0 } }
    return (Get-Content -LiteralPath $path -Raw | ConvertFrom-Json)
}

function Save-ProvisioningState {
    param([Parameter(Mandatory = $true)]$State)
    if (-not (Test-Path -LiteralPath $StateDirectory)) { [void](New-Item -ItemType Directory -Path $StateDirectory -Force) }
    Set-Content -LiteralPath (Join-Path $StateDirectory 'state.json') -Value (ConvertTo-Json -InputObject $State -Compress) -Encoding UTF8
}

function Test-IPv4Address {
    param([string]$Text)
    $parsed = $null
    return ($Text -match '^\d{1,3}(\.\d{1,3}){3}$' -and [System.Net.IPAddress]::TryParse($Text, [ref]$parsed))
}

function Get-ProvisioningSettings {
    <#
    .SYNOPSIS
        Validates the host's KVP items and returns the settings to apply (throws on bad data).
    #>
    param([Parameter(Mandatory = $true)][hashtable]$Kvp)
    $hostName = [string]$Kvp['AetherV.HostName']
    if ($hostName -notmatch '^[A-Za-z0-9][A-Za-z0-9-]{0,14}$' -or $hostName -match '^[0-9]+$' -or $hostName.EndsWith('-')) {
        throw ("AetherV.HostName '{0}' is not a valid Windows computer name (1-15 letters, digits, hyphens)." -f $hostName)
    }
    $settings = [ordered]@{
        JobId = [string]$Kvp['AetherV.JobId']; HostName = $hostName
        IPv4Address = ''; PrefixLength = 0; Gateway = ''; DnsServers = @()
        DomainName = ''; DomainOUPath = ''; DomainUser = ''; DomainPassword = ''
    }
    if ($Kvp.ContainsKey('AetherV.Network.IPv4Address')) {
        $settings.IPv4Address = [string]$Kvp['AetherV.Network.IPv4Address']
        if (-not (Test-IPv4Address $settings.IPv4Address)) { throw ("AetherV.Network.IPv4Address '{0}' is not an IPv4 address." -f $settings.IPv4Address) }
        $prefix = 0
        if (-not [int]::TryParse([string]$Kvp['AetherV.Network.PrefixLength'], [ref]$prefix) -or $prefix -lt 1 -or $prefix -gt 32) {
            throw 'AetherV.Network.PrefixLength must be 1-32.'
        }
        $settings.PrefixLength = $prefix
        if ($Kvp.ContainsKey('AetherV.Network.Gateway')) {
            $settings.Gateway = [string]$Kvp['AetherV.Network.Gateway']
            if (-not (Test-IPv4Address $settings.Gateway)) { throw ("AetherV.Network.Gateway '{0}' is not an IPv4 address." -f $settings.Gateway) }
        }
        if ($Kvp.ContainsKey('AetherV.Network.DnsServers')) {
            $servers = @(([string]$Kvp['AetherV.Network.DnsServers']).Split(',') | ForEach-Object { $_.Trim() } | Where-Object { $_ })
            foreach ($server in $servers) { if (-not (Test-IPv4Address $server)) { throw ("DNS server '{0}' is not an IPv4 address." -f $server) } }
            $settings.DnsServers = $servers
        }
    }
    if ($Kvp.ContainsKey('AetherV.Domain.Name')) {
        $settings.DomainName = [string]$Kvp['AetherV.Domain.Name']
        $settings.DomainUser = [string]$Kvp['AetherV.Domain.User']
        $settings.DomainPassword = [string]$Kvp['AetherV.Domain.Password']
        if ($Kvp.ContainsKey('AetherV.Domain.OUPath')) { $settings.DomainOUPath = [string]$Kvp['AetherV.Domain.OUPath'] }
        if (-not $settings.DomainUser -or -not $settings.DomainPassword) {
            throw 'A domain join needs AetherV.Domain.User and AetherV.Domain.Password.'
        }
    }
    return [pscustomobject]$settings
}

function Set-StaticNetwork {
    <# Applies the static IPv4 settings to the VM's connected adapter (idempotent). #>
    param([Parameter(Mandatory = $true)]$Settings)
    if (-not $Settings.IPv4Address) { return 'DHCP' }
    $adapters = @(Get-NetAdapter -Physical | Where-Object { $_.Status -eq 'Up' } | Sort-Object -Property ifIndex)
    if ($adapters.Count -eq 0) { throw 'No connected network adapter to configure.' }
    $index = $adapters[0].ifIndex
    $present = @(Get-NetIPAddress -InterfaceIndex $index -AddressFamily IPv4 -ErrorAction SilentlyContinue |
            Where-Object { $_.IPAddress -eq $Settings.IPv4Address -and $_.PrefixLength -eq $Settings.PrefixLength })
    if ($present.Count -eq 0) {
        Set-NetIPInterface -InterfaceIndex $index -AddressFamily IPv4 -Dhcp Disabled
        Get-NetIPAddress -InterfaceIndex $index -AddressFamily IPv4 -ErrorAction SilentlyContinue | Remove-NetIPAddress -Confirm:$false
        Get-NetRoute -InterfaceIndex $index -AddressFamily IPv4 -DestinationPrefix '0.0.0.0/0' -ErrorAction SilentlyContinue | Remove-NetRoute -Confirm:$false
        if ($Settings.Gateway) {
            [void](New-NetIPAddress -InterfaceIndex $index -AddressFamily IPv4 -IPAddress $Settings.IPv4Address -PrefixLength $Settings.PrefixLength -DefaultGateway $Settings.Gateway)
        } else {
            [void](New-NetIPAddress -InterfaceIndex $index -AddressFamily IPv4 -IPAddress $Settings.IPv4Address -PrefixLength $Settings.PrefixLength)
        }
    }
    if (@($Settings.DnsServers).Count -gt 0) {
        Set-DnsClientServerAddress -InterfaceIndex $index -ServerAddresses @($Settings.DnsServers)
    }
    return ('{0}/{1} on interface {2}' -f $Settings.IPv4Address, $Settings.PrefixLength, $index)
}

function Wait-HostData {
    <# Waits for the host's commit key; returns the KVP items or throws after the timeout. #>
    $deadline = [DateTime]::UtcNow.AddSeconds($DataTimeoutSeconds)
    while ($true) {
        $kvp = Read-HostKvp
        if ($kvp.ContainsKey('AetherV.Published')) { return $kvp }
        if ([DateTime]::UtcNow -ge $deadline) { throw ('The host published no provisioning data within {0} s.' -f $DataTimeoutSeconds) }
        Start-Sleep -Seconds 5
    }
}

function Request-Restart {
    param([Parameter(Mandatory = $true)]$State, [Parameter(Mandatory = $true)][string]$Reason)
    $State.restarts = [int]$State.restarts + 1
    Save-ProvisioningState $State
    Set-ProvisioningStatus -Status 'InProgress' -Message ('Restarting: {0}' -f $Reason)
    if (-not $NoRestart) { Restart-Computer -Force }
}

function Invoke-GuestProvisioning {
    <# One run of the service; returns the final status it reported or 'Restarting'. #>
    $state = Read-ProvisioningState
    Set-ProvisioningStatus -Status 'InProgress' -Message 'Waiting for provisioning data from the host'
    $kvp = Wait-HostData
    if ($state.phase -eq 'Completed' -and $state.jobId -eq $kvp['AetherV.Published']) {
        # Already done for this job (the host may have removed the password since).
        Set-ProvisioningStatus -Status 'Ready' -Message ('Provisioned as {0}' -f $env:COMPUTERNAME)
        return 'Ready'
    }
    $settings = Get-ProvisioningSettings -Kvp $kvp
    if ($state.jobId -ne $kvp['AetherV.Published']) {
        $state = [pscustomobject]@{ jobId = [string]$kvp['AetherV.Published']; phase = 'New'; restarts = 0 }
        Save-ProvisioningState $state
    }
    if ([int]$state.restarts -ge $script:MaxRestarts) {
        throw ('Still not provisioned after {0} restarts; see {1}.' -f $state.restarts, (Join-Path $StateDirectory 'provisioning.log'))
    }

    $network = Set-StaticNetwork -Settings $settings
    Write-ServiceLog ('network: {0}' -f $network)

    $computer = Get-CimInstance -ClassName Win32_ComputerSystem
    $needsRename = $env:COMPUTERNAME -ne $settings.HostName
    if ($settings.DomainName) {
        $joined = [bool]$computer.PartOfDomain -and ([string]$computer.Domain -eq $settings.DomainName)
        if (-not $joined) {
            $secure = ConvertTo-SecureString -String $settings.DomainPassword -AsPlainText -Force
            $credential = New-Object System.Management.Automation.PSCredential -ArgumentList $settings.DomainUser, $secure
            $join = @{ DomainName = $settings.DomainName; Credential = $credential; Force = $true; ErrorAction = 'Stop' }
            if ($settings.DomainOUPath) { $join['OUPath'] = $settings.DomainOUPath }
            if ($needsRename) { $join['NewName'] = $settings.HostName; $join['Options'] = 'JoinWithNewName,AccountCreate' }
            Write-ServiceLog ('joining domain {0} as {1}' -f $settings.DomainName, $settings.DomainUser)
            Add-Computer @join
            $state.phase = 'Joined'
            Request-Restart -State $state -Reason ('joined {0} as {1}' -f $settings.DomainName, $settings.HostName)
            return 'Restarting'
        }
    }
    if ($needsRename) {
        Write-ServiceLog ('renaming {0} to {1}' -f $env:COMPUTERNAME, $settings.HostName)
        Rename-Computer -NewName $settings.HostName -Force -ErrorAction Stop
        $state.phase = 'Renamed'
        Request-Restart -State $state -Reason ('renamed to {0}' -f $settings.HostName)
        return 'Restarting'
    }

    $state.phase = 'Completed'
    Save-ProvisioningState $state
    $message = 'Provisioned as {0}; network {1}' -f $settings.HostName, $network
    if ($settings.DomainName) { $message = $message + ('; member of {0}' -f $settings.DomainName) }
    Set-ProvisioningStatus -Status 'Ready' -Message $message
    Disable-ScheduledTask -TaskName $script:TaskName -ErrorAction SilentlyContinue | Out-Null
    return 'Ready'
}

if ($MyInvocation.InvocationName -ne '.') {
    try {
        [void](Invoke-GuestProvisioning)
        exit 0
    } catch {
        $text = $_.Exception.Message
        try { Set-ProvisioningStatus -Status 'Failed' -Message $text } catch { Write-Error $text }
        exit 1
    }
}
