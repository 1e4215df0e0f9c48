# Invoke-ProvisioningJob.ps1 end to end: the real helper scripts, copied with a fake bundle into
# an install folder under $TestDrive (any install directory works), with Hyper-V/CIM mocked.
BeforeAll {
    . (Join-Path $PSScriptRoot 'HyperVStandIns.ps1')
    $repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    $ExampleText = Get-Content -LiteralPath (Join-Path $repo 'agent/schema/job.example.json') -Raw
    # ctest passes the pwsh it found; a dotnet-tool pwsh reports dotnet as its process path.
    $Pwsh = $env:AETHERV_PWSH
    if (-not $Pwsh) { $Pwsh = (Get-Command -Name pwsh -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source }
    if (-not $Pwsh) { $Pwsh = Join-Path $HOME '.dotnet/tools/pwsh' }
}

Describe 'Invoke-ProvisioningJob.ps1' {
    BeforeEach {
        $root = Join-Path $TestDrive ('run-' + [guid]::NewGuid().ToString('N'))
        $install = Join-Path $root 'Aether-V (Test)'
        $images = Join-Path $root 'images'
        $vms = Join-Path $root 'vms'
        [void](New-Item -ItemType Directory -Path $install, $images, $vms)
        Copy-Item -Path (Join-Path $repo 'agent/scripts/*.ps1') -Destination $install
        Set-Content -LiteralPath (Join-Path $install 'WindowsProvisioning.iso') -Value 'windows media'
        Set-Content -LiteralPath (Join-Path $install 'LinuxProvisioning.iso') -Value 'linux seed'
        Set-Content -LiteralPath (Join-Path $images 'win2022-datacenter.vhdx') -Value 'golden disk'
        $job = ConvertFrom-Json -InputObject $ExampleText
        $job.vm.path = $vms
        $job.image.directory = $images
        $job.wait.timeoutSeconds = 60
        $Orchestrator = Join-Path $install 'Invoke-ProvisioningJob.ps1'

        $vmObject = [pscustomobject]@{ Name = 'web-01'; Id = [guid]'0b7e3f0e-9b59-4a55-8d7e-0d0f3c1b2a01' }
        $computerSystem = [pscustomobject]@{ ElementName = 'web-01'; Name = '0B7E3F0E-9B59-4A55-8D7E-0D0F3C1B2A01' }
        $clock = @{ Now = [DateTime]::new(2024, 1, 1, 0, 0, 0, [DateTimeKind]::Utc) }
        $kvp = @{ Host = [ordered]@{}; GuestStatus = 'Ready'; Calls = New-Object System.Collections.ArrayList }
        Mock Get-AgentUtcNow { $clock.Now }
        Mock Start-Sleep { $clock.Now = $clock.Now.AddSeconds($Seconds) }
        Mock Get-VMHost { [pscustomobject]@{ VirtualMachinePath = $vms; VirtualHardDiskPath = $images } }
        Mock Get-VM { }
        Mock Get-VMSwitch { [pscustomobject]@{ Name = 'LAN' } }
        Mock New-VM { $vmObject }
        Mock Set-VMProcessor { }
        Mock Set-VMMemory { }
        Mock Get-VMNetworkAdapter { [pscustomobject]@{ Name = 'Network Adapter' } }
        Mock Set-VMNetworkAdapterVlan { }
        Mock Add-VMDvdDrive { }
        Mock Get-VMHardDiskDrive { [pscustomobject]@{ Path = 'disk' } }
        Mock Set-VMFirmware { }
        Mock Set-VMBios { }
        Mock Set-VM { }
        Mock Start-VM { }
        Mock Remove-VM { }
        Mock Get-CimInstance { $computerSystem } -ParameterFilter { $ClassName -eq 'Msvm_ComputerSystem' }
        Mock Get-CimInstance { [pscustomobject]@{ Name = 'vmms' } } -ParameterFilter { $ClassName -eq 'Msvm_VirtualSystemManagementService' }
        Mock Get-CimAssociatedInstance { [pscustomobject]@{ VirtualSystemType = 'Microsoft:Hyper-V:System:Realized' } } -ParameterFilter { $ResultClassName -eq 'Msvm_VirtualSystemSettingData' }
        Mock Get-CimAssociatedInstance {
            [pscustomobject]@{ HostExchangeItems = [string[]]@($kvp.Host.Keys | ForEach-Object { New-FakeKvpXml $_ $kvp.Host[$_] }) }
        } -ParameterFilter { $ResultClassName -eq 'Msvm_KvpExchangeComponentSettingData' }
        Mock Get-CimAssociatedInstance {
            [pscustomobject]@{ GuestExchangeItems = [string[]]@((New-FakeKvpXml 'AetherV.ProvisioningStatus' $kvp.GuestStatus)) }
        } -ParameterFilter { $ResultClassName -eq 'Msvm_KvpExchangeComponent' }
        Mock Invoke-CimMethod {
            foreach ($text in $Arguments['DataItems']) {
                $instance = ([xml]$text).INSTANCE
                $name = $instance.SelectSingleNode("PROPERTY[@NAME='Name']/VALUE").InnerText
                [void]$kvp.Calls.Add(('{0} {1}' -f $MethodName, $name))
                if ($MethodName -eq 'RemoveKvpItems') { $kvp.Host.Remove($name) } else { $kvp.Host[$name] = $instance.SelectSingleNode("PROPERTY[@NAME='Data']/VALUE").InnerText }
            }
            [pscustomobject]@{ ReturnValue = 0 }
        }
        function Invoke-Job { param([string]$Json = (ConvertTo-Json -InputObject $job -Depth 20)) Invoke-AgentScriptUnderTest $Orchestrator @{ JobJson = $Json } }
        function Get-Steps { param($Run) @($Run.Events | Where-Object { $_.event -eq 'step' }) }
    }

    It 'provisions a VM from the documented example' {
        $run = Invoke-Job
        $run.ExitCode | Should -Be 0
        $run.ResultCount | Should -Be 1
        $run.Result.ok | Should -BeTrue
        $run.Result.data.vmId | Should -Be ([string]$vmObject.Id)
        @($run.Result.data.steps | ForEach-Object { '{0}={1}' -f $_.name, $_.status }) | Should -Be @(
            'copyImage=succeeded', 'copyProvisioningIso=succeeded', 'registerVM=succeeded',
            'publishProvisioningData=succeeded', 'waitForProvisioningKey=succeeded', 'removeSensitiveData=succeeded')
        @(Get-Steps $run | ForEach-Object { $_.step }) | Should -Be @('copyImage', 'copyProvisioningIso', 'registerVM', 'publishProvisioningData', 'waitForProvisioningKey', 'removeSensitiveData')
        Test-Path -LiteralPath (Join-Path $vms 'web-01/Virtual Hard Disks/web-01.vhdx') | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $vms 'web-01/WindowsProvisioning.iso') | Should -BeTrue
        Should -Invoke New-VM -Times 1 -Exactly -ParameterFilter { $Path -eq $vms -and $VHDPath -eq (Join-Path $vms 'web-01/Virtual Hard Disks/web-01.vhdx') }
        Should -Invoke Add-VMDvdDrive -Times 1 -Exactly -ParameterFilter { $Path -eq (Join-Path $vms 'web-01/WindowsProvisioning.iso') }
        Should -Invoke Set-VMNetworkAdapterVlan -Times 1 -Exactly -ParameterFilter { $VlanId -eq 120 }
        Should -Invoke Get-CimInstance -ParameterFilter { $Filter -eq ("Name='{0}'" -f $vmObject.Id) }
        $kvp.Host['AetherV.HostName'] | Should -Be 'web-01'
        $kvp.Host['AetherV.Network.DnsServers'] | Should -Be '10.20.0.2,10.20.0.3'
        $kvp.Host['AetherV.Data.role'] | Should -Be 'web'
        $kvp.Host['AetherV.Published'] | Should -Be 'web-01-2024-001'
        $kvp.Host.Contains('AetherV.Domain.Password') | Should -BeFalse
        $kvp.Calls[-1] | Should -Be 'RemoveKvpItems AetherV.Domain.Password'
        $kvp.Calls[-2] | Should -Be 'AddKvpItems AetherV.Published'
        ($run.Lines -join "`n") | Should -Not -BeLike '*supplied-by-the-console-at-run-time*'
    }
    It 'accepts the job as a file' {
        $path = Join-Path $root 'job.json'
        Set-Content -LiteralPath $path -Value (ConvertTo-Json -InputObject $job -Depth 20)
        (Invoke-AgentScriptUnderTest $Orchestrator @{ JobPath = $path }).Result.ok | Should -BeTrue
    }
    It 'rejects <Label> before anything changes' -ForEach @(
        @{ Label = 'text that is not JSON'; Code = 'InvalidJson'; Json = '{"schemaVersion":' },
        @{ Label = 'a job that breaks the schema'; Code = 'InvalidJob'; Json = '{"schemaVersion":1,"vm":{}}' },
        @{ Label = 'a job that breaks a cross-field rule'; Code = 'InvalidJob'; Json = $null }
    ) {
        if ($null -eq $Json) { $job.guest.hostName = 'a-very-long-host'; $Json = ConvertTo-Json -InputObject $job -Depth 20 }
        $run = Invoke-Job -Json $Json
        $run.ExitCode | Should -Be 1
        $run.Result.error.code | Should -Be $Code
        @(Get-Steps $run).Count | Should -Be 0
        @(Get-ChildItem -LiteralPath $vms -Recurse).Count | Should -Be 0
        Should -Invoke Get-VMHost -Times 0
        Should -Invoke New-VM -Times 0
        Should -Invoke Invoke-CimMethod -Times 0
    }
    It 'lists every schema problem' {
        $run = Invoke-Job -Json '{"schemaVersion":1,"vm":{"name":"x","processorCount":0,"memory":{"startupMB":1024},"network":{"switchName":"LAN"}},"image":{"name":"a.vhdx"},"guest":{"os":"mac","hostName":"x"}}'
        @($run.Result.error.details.errors) | Should -Contain '$.vm.processorCount: less than 1'
        @($run.Result.error.details.errors) | Should -Contain '$.guest.os: must be one of "windows", "linux"'
    }
    It 'fails the preflight without changes when <Label>' -ForEach @(
        @{ Label = 'the switch is missing'; Expect = "*no virtual switch named 'LAN'*"; Setup = { Mock Get-VMSwitch { } } },
        @{ Label = 'the VM exists'; Expect = "*'web-01' already exists*"; Setup = { Mock Get-VM { [pscustomobject]@{ Name = 'web-01' } } } },
        @{ Label = 'the image is missing'; Expect = '*golden image*does not exist*'; Setup = { $job.image.name = 'absent.vhdx' } },
        @{ Label = 'the bundle lacks the ISO'; Expect = '*deploy the agent bundle*'; Setup = { Remove-Item -LiteralPath (Join-Path $install 'WindowsProvisioning.iso') } },
        @{ Label = 'Hyper-V is unusable'; Expect = '*Hyper-V is not usable*'; Setup = { Mock Get-VMHost { throw 'The Hyper-V service is not running.' } } }
    ) {
        . $Setup
        $run = Invoke-Job
        $run.ExitCode | Should -Be 1
        $run.Result.error.code | Should -Be 'PreflightFailed'
        $run.Result.error.message | Should -BeLike $Expect
        @(Get-ChildItem -LiteralPath $vms -Recurse).Count | Should -Be 0
        Should -Invoke New-VM -Times 0
    }
    It 'reports a guest timeout as a partial failure and still removes the password' {
        $kvp.GuestStatus = 'InProgress'
        $run = Invoke-Job
        $run.ExitCode | Should -Be 1
        $run.Result.error.code | Should -Be 'StepFailed'
        $run.Result.error.message | Should -BeLike "*'waitForProvisioningKey'*[Timeout]*"
        @($run.Result.data.steps | ForEach-Object { $_.status }) | Should -Be @('succeeded', 'succeeded', 'succeeded', 'succeeded', 'failed', 'succeeded')
        ($run.Result.data.steps | Where-Object { $_.name -eq 'waitForProvisioningKey' }).error.code | Should -Be 'Timeout'
        $kvp.Host.Contains('AetherV.Domain.Password') | Should -BeFalse
    }
    It 'skips the later steps when registering fails' {
        Mock New-VM { throw 'The operation failed because the file was not found.' }
        $run = Invoke-Job
        $run.Result.error.code | Should -Be 'StepFailed'
        $steps = @($run.Result.data.steps)
        @($steps | ForEach-Object { $_.status }) | Should -Be @('succeeded', 'succeeded', 'failed', 'skipped', 'skipped', 'skipped')
        $steps[3].reason | Should -Be 'an earlier step failed'
        $steps[5].reason | Should -Be 'no sensitive data was published'
        Should -Invoke Invoke-CimMethod -Times 0
        Test-Path -LiteralPath (Join-Path $vms 'web-01/Virtual Hard Disks/web-01.vhdx') | Should -BeTrue
    }
    It 'registers without provisioning when vm.start is false' {
        $job.vm.start = $false
        $run = Invoke-Job
        $run.Result.ok | Should -BeTrue
        @($run.Result.data.steps | ForEach-Object { $_.status }) | Should -Be @('succeeded', 'succeeded', 'succeeded', 'skipped', 'skipped', 'skipped')
        Should -Invoke Start-VM -Times 0
        Should -Invoke Invoke-CimMethod -Times 0
    }
    It 'validates a job from standard input in a separate PowerShell' {
        $output = $ExampleText | & $Pwsh -NoLogo -NoProfile -NonInteractive -File $Orchestrator -ValidateOnly
        $LASTEXITCODE | Should -Be 0
        $result = ConvertFrom-Json -InputObject @($output)[-1]
        $result.ok | Should -BeTrue
        $result.data.kvpKeys | Should -Contain 'AetherV.Domain.Password'
        $output = '{"schemaVersion":3}' | & $Pwsh -NoLogo -NoProfile -NonInteractive -File $Orchestrator -ValidateOnly
        $LASTEXITCODE | Should -Be 1
        (ConvertFrom-Json -InputObject @($output)[-1]).error.code | Should -Be 'InvalidJob'
    }
}
