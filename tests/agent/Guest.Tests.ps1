# The guest side: the Windows provisioning service (functions dot-sourced, Windows cmdlets
# mocked) and the Linux KVP script (run with python3 against pool files in $TestDrive).
BeforeAll {
    . (Join-Path $PSScriptRoot 'HyperVStandIns.ps1')
    $repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    $LinuxScript = Join-Path $repo 'agent/iso/linux/aetherv-provision.py'
    foreach ($name in @('Get-NetAdapter', 'Get-NetIPAddress', 'Set-NetIPInterface', 'Remove-NetIPAddress', 'Get-NetRoute', 'Remove-NetRoute',
            'New-NetIPAddress', 'Set-DnsClientServerAddress', 'Rename-Computer', 'Add-Computer', 'Restart-Computer', 'Disable-ScheduledTask')) {
        if (-not (Get-Command -Name $name -ErrorAction SilentlyContinue)) {
            New-Item -Path ('function:global:{0}' -f $name) -Value ([scriptblock]::Create(('[CmdletBinding()] param([Parameter(ValueFromPipeline = $true)]$InputObject, [int]$InterfaceIndex, [string]$AddressFamily, [string]$IPAddress, [byte]$PrefixLength, [string]$DefaultGateway, [string]$Dhcp, [string[]]$ServerAddresses, [string]$DestinationPrefix, [switch]$Physical, [string]$NewName, [string]$DomainName, [pscredential]$Credential, [string]$OUPath, [string[]]$Options, [switch]$Force, [string]$TaskName, [switch]$Confirm) throw "{0} was called without a mock"' -f $name))) | Out-Null
        }
    }
}

Describe 'Windows provisioning service' {
    BeforeAll {
        $stateDirectory = Join-Path $TestDrive 'state'
        . (Join-Path $repo 'agent/iso/windows/AetherV.ProvisioningService.ps1') -StateDirectory $stateDirectory -NoRestart
    }
    BeforeEach {
        Remove-Item -LiteralPath $stateDirectory -Recurse -Force -ErrorAction SilentlyContinue
        $env:COMPUTERNAME = 'WIN-TEMPLATE'
        $guest = @{}
        $hostItems = @{ 'AetherV.HostName' = 'web-01'; 'AetherV.Published' = 'job-1' }
        Mock Read-HostKvp { $hostItems }
        Mock Write-GuestKvp { $guest[$Name] = $Value }
        Mock Get-CimInstance { [pscustomobject]@{ PartOfDomain = $false; Domain = 'WORKGROUP' } } -ParameterFilter { $ClassName -eq 'Win32_ComputerSystem' }
        Mock Get-NetAdapter { [pscustomobject]@{ Name = 'Ethernet'; Status = 'Up'; ifIndex = 6 } }
        Mock Get-NetIPAddress { }
        Mock Set-NetIPInterface { }
        Mock Remove-NetIPAddress { }
        Mock Get-NetRoute { }
        Mock Remove-NetRoute { }
        Mock New-NetIPAddress { }
        Mock Set-DnsClientServerAddress { }
        Mock Rename-Computer { }
        Mock Add-Computer { }
        Mock Restart-Computer { }
        Mock Disable-ScheduledTask { }
        Mock Start-Sleep { }
    }

    It 'renames the computer and asks for a restart' {
        Invoke-GuestProvisioning | Should -Be 'Restarting'
        Should -Invoke Rename-Computer -Times 1 -Exactly -ParameterFilter { $NewName -eq 'web-01' }
        $guest['AetherV.ProvisioningStatus'] | Should -Be 'InProgress'
        $guest['AetherV.ProvisioningMessage'] | Should -BeLike 'Restarting: renamed to web-01'
        (Get-Content (Join-Path $stateDirectory 'state.json') -Raw | ConvertFrom-Json).phase | Should -Be 'Renamed'
    }
    It 'reports Ready once the name matches and disables its task' {
        $env:COMPUTERNAME = 'web-01'
        Invoke-GuestProvisioning | Should -Be 'Ready'
        $guest['AetherV.ProvisioningStatus'] | Should -Be 'Ready'
        $guest['AetherV.ProvisioningMessage'] | Should -Be 'Provisioned as web-01; network DHCP'
        Should -Invoke Rename-Computer -Times 0
        Should -Invoke Disable-ScheduledTask -Times 1 -Exactly -ParameterFilter { $TaskName -eq 'AetherV Provisioning' }
    }
    It 'applies a static address, gateway and DNS' {
        $env:COMPUTERNAME = 'web-01'
        $hostItems['AetherV.Network.IPv4Address'] = '10.20.0.15'
        $hostItems['AetherV.Network.PrefixLength'] = '24'
        $hostItems['AetherV.Network.Gateway'] = '10.20.0.1'
        $hostItems['AetherV.Network.DnsServers'] = '10.20.0.2,10.20.0.3'
        Invoke-GuestProvisioning | Should -Be 'Ready'
        Should -Invoke Set-NetIPInterface -Times 1 -Exactly -ParameterFilter { $InterfaceIndex -eq 6 -and $Dhcp -eq 'Disabled' }
        Should -Invoke New-NetIPAddress -Times 1 -Exactly -ParameterFilter { $IPAddress -eq '10.20.0.15' -and $PrefixLength -eq 24 -and $DefaultGateway -eq '10.20.0.1' }
        Should -Invoke Set-DnsClientServerAddress -Times 1 -Exactly -ParameterFilter { ($ServerAddresses -join ',') -eq '10.20.0.2,10.20.0.3' }
    }
    It 'joins the domain with the new name and never logs the password' {
        $hostItems['AetherV.Domain.Name'] = 'corp.example.com'
        $hostItems['AetherV.Domain.User'] = 'CORP\join'
        $hostItems['AetherV.Domain.Password'] = 'Pa55-from-KVP'
        $hostItems['AetherV.Domain.OUPath'] = 'OU=Web,DC=corp,DC=example,DC=com'
        Invoke-GuestProvisioning | Should -Be 'Restarting'
        Should -Invoke Add-Computer -Times 1 -Exactly -ParameterFilter {
            $DomainName -eq 'corp.example.com' -and $NewName -eq 'web-01' -and $OUPath -like 'OU=Web*' -and
            $Credential.UserName -eq 'CORP\join' -and $Credential.GetNetworkCredential().Password -eq 'Pa55-from-KVP' -and ($Options -join ',') -like '*JoinWithNewName*'
        }
        Should -Invoke Rename-Computer -Times 0
        (Get-Content (Join-Path $stateDirectory 'provisioning.log') -Raw) | Should -Not -BeLike '*Pa55-from-KVP*'
    }
    It 'reports Ready again after the host removed the password' {
        $env:COMPUTERNAME = 'web-01'
        Invoke-GuestProvisioning | Should -Be 'Ready'
        $hostItems['AetherV.Domain.Name'] = 'corp.example.com'
        Invoke-GuestProvisioning | Should -Be 'Ready'
        Should -Invoke Add-Computer -Times 0
    }
    It 'gives up after three restarts' {
        [void](New-Item -ItemType Directory -Path $stateDirectory -Force)
        Set-Content -LiteralPath (Join-Path $stateDirectory 'state.json') -Value '{"jobId":"job-1","phase":"Renamed","restarts":3}'
        { Invoke-GuestProvisioning } | Should -Throw '*after 3 restarts*'
    }
    It 'rejects <Label>' -ForEach @(
        @{ Label = 'a 16-character name'; Items = @{ 'AetherV.HostName' = 'web-frontend-001' }; Expect = '*not a valid Windows computer name*' },
        @{ Label = 'an all-digit name'; Items = @{ 'AetherV.HostName' = '12345' }; Expect = '*not a valid Windows computer name*' },
        @{ Label = 'a bad address'; Items = @{ 'AetherV.HostName' = 'a'; 'AetherV.Network.IPv4Address' = '10.0.0.999'; 'AetherV.Network.PrefixLength' = '24' }; Expect = '*not an IPv4 address*' },
        @{ Label = 'a missing prefix'; Items = @{ 'AetherV.HostName' = 'a'; 'AetherV.Network.IPv4Address' = '10.0.0.9' }; Expect = '*PrefixLength*' },
        @{ Label = 'a domain without password'; Items = @{ 'AetherV.HostName' = 'a'; 'AetherV.Domain.Name' = 'corp.example.com'; 'AetherV.Domain.User' = 'u' }; Expect = '*needs AetherV.Domain.User and AetherV.Domain.Password*' }
    ) {
        { Get-ProvisioningSettings -Kvp $Items } | Should -Throw $Expect
    }
    It 'fails when the host never publishes' {
        $hostItems.Remove('AetherV.Published')
        $DataTimeoutSeconds = 0
        { Invoke-GuestProvisioning } | Should -Throw '*published no provisioning data*'
    }
}

Describe 'Linux KVP provisioning script' {
    BeforeEach {
        $kvpDir = Join-Path $TestDrive ('kvp-' + [guid]::NewGuid().ToString('N'))
        $rootDir = Join-Path $TestDrive ('root-' + [guid]::NewGuid().ToString('N'))
        [void](New-Item -ItemType Directory -Path $kvpDir, (Join-Path $rootDir 'etc/netplan'))
        Set-Content -LiteralPath (Join-Path $rootDir 'etc/group') -Value "root:x:0:`nwheel:x:10:"
        function Invoke-Kvp { param([string[]]$Arguments) $out = & python3 $LinuxScript --kvp-dir $kvpDir @Arguments; [pscustomobject]@{ Code = $LASTEXITCODE; Output = ($out -join "`n") } }
        function Set-HostItem { param([string]$Key, [string]$Value) (Invoke-Kvp @('set', $Key, $Value, '--pool', '0')).Code | Should -Be 0 }
        function Get-Pool { param([int]$Pool) ConvertFrom-Json -InputObject (Invoke-Kvp @('read', '--pool', [string]$Pool)).Output }
    }

    It 'writes fixed-size NUL-padded records and replaces keys in place' {
        Set-HostItem 'AetherV.HostName' 'lnx-01'
        Set-HostItem 'AetherV.OS' 'linux'
        Set-HostItem 'AetherV.HostName' 'lnx-02'
        $bytes = [System.IO.File]::ReadAllBytes((Join-Path $kvpDir '.kvp_pool_0'))
        $bytes.Length | Should -Be (2 * 2560)
        [System.Text.Encoding]::UTF8.GetString($bytes, 0, 10) | Should -Be 'AetherV.OS'
        $bytes[10] | Should -Be 0
        $bytes[511] | Should -Be 0
        [System.Text.Encoding]::UTF8.GetString($bytes, 2560 + 512, 6) | Should -Be 'lnx-02'
        $bytes[2560 + 512 + 6] | Should -Be 0
        (Get-Pool 0).'AetherV.HostName' | Should -Be 'lnx-02'
    }
    It 'refuses a value over 2047 UTF-8 bytes' {
        $run = Invoke-Kvp @('set', 'k', ('x' * 2048))
        $run.Code | Should -Be 1
        $run.Output | Should -BeLike '*exceeds 2047*'
    }
    It 'provisions from the host data and reports Ready' {
        Set-HostItem 'AetherV.HostName' 'lnx-01'
        Set-HostItem 'AetherV.Network.IPv4Address' '10.20.0.16'
        Set-HostItem 'AetherV.Network.PrefixLength' '24'
        Set-HostItem 'AetherV.Network.Gateway' '10.20.0.1'
        Set-HostItem 'AetherV.Network.DnsServers' '10.20.0.2,10.20.0.3'
        Set-HostItem 'AetherV.Linux.AdminUser' 'ops'
        Set-HostItem 'AetherV.Linux.SshKey.0' 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOps ops@example'
        Set-HostItem 'AetherV.Published' 'job-7'
        $run = Invoke-Kvp @('run', '--root', $rootDir, '--no-exec', '--timeout', '5', '--poll', '0.1', '--interface', 'eth0')
        $run.Code | Should -Be 0
        $result = ConvertFrom-Json -InputObject $run.Output
        $result.ok | Should -BeTrue
        @($result.actions | Where-Object { $_.PSObject.Properties['command'] } | ForEach-Object { $_.command[0] }) | Should -Contain 'netplan'
        @($result.actions | Where-Object { $_.PSObject.Properties['command'] } | ForEach-Object { $_.command -join ' ' }) | Should -Contain 'useradd --create-home --shell /bin/bash --groups wheel ops'
        (Get-Content (Join-Path $rootDir 'etc/hostname') -Raw).Trim() | Should -Be 'lnx-01'
        (Get-Content (Join-Path $rootDir 'etc/hosts') -Raw) | Should -BeLike "*127.0.1.1`tlnx-01*"
        $netplan = Get-Content (Join-Path $rootDir 'etc/netplan/60-aetherv.yaml') -Raw
        $netplan | Should -BeLike '*eth0:*addresses: `[10.20.0.16/24`]*via: 10.20.0.1*addresses: `[10.20.0.2, 10.20.0.3`]*'
        (Get-Content (Join-Path $rootDir 'home/ops/.ssh/authorized_keys') -Raw).Trim() | Should -Be 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOps ops@example'
        (Get-Content (Join-Path $rootDir 'etc/sudoers.d/90-aetherv-ops') -Raw).Trim() | Should -Be 'ops ALL=(ALL) NOPASSWD:ALL'
        $guestPool = Get-Pool 1
        $guestPool.'AetherV.ProvisioningStatus' | Should -Be 'Ready'
        $guestPool.'AetherV.ProvisioningMessage' | Should -Be 'Provisioned as lnx-01; network 10.20.0.16/24 on eth0; admin user ops'
        (Invoke-Kvp @('run', '--root', $rootDir, '--no-exec', '--timeout', '5', '--interface', 'eth0')).Code | Should -Be 0
    }
    It 'reports Failed for invalid host data' {
        Set-HostItem 'AetherV.HostName' 'bad_name!'
        Set-HostItem 'AetherV.Published' 'job-8'
        $run = Invoke-Kvp @('run', '--root', $rootDir, '--no-exec', '--timeout', '5')
        $run.Code | Should -Be 1
        (Get-Pool 1).'AetherV.ProvisioningStatus' | Should -Be 'Failed'
        (Get-Pool 1).'AetherV.ProvisioningMessage' | Should -BeLike '*not a valid host name*'
        Test-Path (Join-Path $rootDir 'etc/hostname') | Should -BeFalse
    }
    It 'reports Failed when the host never publishes' {
        Set-HostItem 'AetherV.HostName' 'lnx-01'
        $run = Invoke-Kvp @('run', '--root', $rootDir, '--no-exec', '--timeout', '1', '--poll', '0.2')
        $run.Code | Should -Be 1
        (Get-Pool 1).'AetherV.ProvisioningMessage' | Should -BeLike '*no provisioning data within 1 s*'
    }
}
