# Provisioning.WaitForProvisioningKey.ps1 and Provisioning.PublishProvisioningData.ps1 with the
# CIM cmdlets mocked and a fake clock.
BeforeAll {
    . (Join-Path $PSScriptRoot 'HyperVStandIns.ps1')
    $scripts = (Resolve-Path (Join-Path $PSScriptRoot '../../agent/scripts')).ProviderPath
    $script:Wait = Join-Path $scripts 'Provisioning.WaitForProvisioningKey.ps1'
    $script:Publish = Join-Path $scripts 'Provisioning.PublishProvisioningData.ps1'
    $ComputerSystem = [pscustomobject]@{ ElementName = 'web-01'; Name = '6F1C3C53-5B8E-4A4C-9D51-5CF0A2F2F001'; CreationClassName = 'Msvm_ComputerSystem' }
    $Service = [pscustomobject]@{ Name = 'vmms'; CreationClassName = 'Msvm_VirtualSystemManagementService' }
}

Describe 'Provisioning.WaitForProvisioningKey.ps1' {
    BeforeEach {
        $clock = @{ Now = [DateTime]::new(2024, 1, 1, 0, 0, 0, [DateTimeKind]::Utc) }
        $GuestStates = New-Object System.Collections.Queue
        Mock Get-AgentUtcNow { $clock.Now }
        Mock Start-Sleep { $clock.Now = $clock.Now.AddSeconds($Seconds) }
        Mock Get-CimInstance { $ComputerSystem } -ParameterFilter { $ClassName -eq 'Msvm_ComputerSystem' }
        Mock Get-CimAssociatedInstance {
            $items = @()
            if ($GuestStates.Count -gt 1) { $items = $GuestStates.Dequeue() } elseif ($GuestStates.Count -eq 1) { $items = $GuestStates.Peek() }
            [pscustomobject]@{ GuestExchangeItems = [string[]]$items }
        } -ParameterFilter { $ResultClassName -eq 'Msvm_KvpExchangeComponent' }
    }

    It 'returns once the guest reports Ready' {
        $GuestStates.Enqueue(@())
        $GuestStates.Enqueue(@((New-FakeKvpXml 'AetherV.ProvisioningStatus' 'InProgress'), (New-FakeKvpXml 'AetherV.ProvisioningMessage' 'renaming')))
        $GuestStates.Enqueue(@((New-FakeKvpXml 'AetherV.ProvisioningStatus' 'Ready'), (New-FakeKvpXml 'AetherV.ProvisioningMessage' 'Provisioned as web-01'), (New-FakeKvpXml 'Other' 'x')))
        $run = Invoke-AgentScriptUnderTest $script:Wait @{ VMName = 'web-01'; TimeoutSeconds = 600; PollIntervalSeconds = 5 }
        $run.ExitCode | Should -Be 0
        $run.Result.data.value | Should -Be 'Ready'
        $run.Result.data.message | Should -Be 'Provisioned as web-01'
        $run.Result.data.polls | Should -Be 3
        $run.Result.data.elapsedSeconds | Should -Be 10
        @($run.Events | Where-Object { $_.event -eq 'progress' -and $_.message -like "*'InProgress'*renaming*" }).Count | Should -Be 1
        Should -Invoke Get-CimInstance -Times 1 -Exactly -ParameterFilter { $Namespace -eq 'root\virtualization\v2' -and $Filter -eq "ElementName='web-01'" }
    }
    It 'looks the VM up by id' {
        $GuestStates.Enqueue(@((New-FakeKvpXml 'AetherV.ProvisioningStatus' 'Ready')))
        (Invoke-AgentScriptUnderTest $script:Wait @{ VMId = $ComputerSystem.Name }).Result.ok | Should -BeTrue
        Should -Invoke Get-CimInstance -Times 1 -Exactly -ParameterFilter { $Filter -eq ("Name='{0}'" -f $ComputerSystem.Name) }
    }
    It 'fails at once when the guest reports Failed' {
        $GuestStates.Enqueue(@((New-FakeKvpXml 'AetherV.ProvisioningStatus' 'Failed'), (New-FakeKvpXml 'AetherV.ProvisioningMessage' 'Domain join failed: access denied')))
        $run = Invoke-AgentScriptUnderTest $script:Wait @{ VMName = 'web-01'; TimeoutSeconds = 600 }
        $run.ExitCode | Should -Be 1
        $run.Result.error.code | Should -Be 'GuestReportedFailure'
        $run.Result.error.message | Should -BeLike '*Domain join failed: access denied*'
        Should -Invoke Start-Sleep -Times 0
    }
    It 'times out with the last value seen' {
        $GuestStates.Enqueue(@((New-FakeKvpXml 'AetherV.ProvisioningStatus' 'InProgress')))
        $run = Invoke-AgentScriptUnderTest $script:Wait @{ VMName = 'web-01'; TimeoutSeconds = 30; PollIntervalSeconds = 5 }
        $run.ExitCode | Should -Be 1
        $run.Result.error.code | Should -Be 'Timeout'
        $run.Result.error.details.lastValue | Should -Be 'InProgress'
        $run.Result.error.details.polls | Should -Be 7
        $run.Result.error.message | Should -BeLike "*within 30 s*'InProgress'*"
    }
    It 'times out when the guest never writes the key' {
        $run = Invoke-AgentScriptUnderTest $script:Wait @{ VMName = 'web-01'; TimeoutSeconds = 12; PollIntervalSeconds = 5 }
        $run.Result.error.code | Should -Be 'Timeout'
        $run.Result.error.message | Should -BeLike '*no value*'
        Should -Invoke Start-Sleep -Times 1 -Exactly -ParameterFilter { $Seconds -eq 2 }
    }
    It 'reports <Code> for <Label>' -ForEach @(
        @{ Label = 'an unknown VM'; Code = 'VMNotFound'; Result = @() },
        @{ Label = 'a duplicated VM name'; Code = 'VMAmbiguous'; Result = @(1, 2) }
    ) {
        $answer = $Result
        Mock Get-CimInstance { $answer } -ParameterFilter { $ClassName -eq 'Msvm_ComputerSystem' }
        $run = Invoke-AgentScriptUnderTest $script:Wait @{ VMName = 'web-01' }
        $run.Result.error.code | Should -Be $Code
        Should -Invoke Get-CimAssociatedInstance -Times 0
    }
}

Describe 'Provisioning.PublishProvisioningData.ps1' {
    BeforeEach {
        $Calls = New-Object System.Collections.ArrayList
        $Returns = New-Object System.Collections.Queue
        Mock Get-AgentUtcNow { [DateTime]::UtcNow }
        Mock Start-Sleep { }
        Mock Get-CimInstance { $ComputerSystem } -ParameterFilter { $ClassName -eq 'Msvm_ComputerSystem' }
        Mock Get-CimInstance { $Service } -ParameterFilter { $ClassName -eq 'Msvm_VirtualSystemManagementService' }
        Mock Get-CimAssociatedInstance {
            [pscustomobject]@{ VirtualSystemType = 'Microsoft:Hyper-V:Snapshot:Realized' }
            [pscustomobject]@{ VirtualSystemType = 'Microsoft:Hyper-V:System:Realized' }
        } -ParameterFilter { $ResultClassName -eq 'Msvm_VirtualSystemSettingData' }
        Mock Get-CimAssociatedInstance {
            [pscustomobject]@{ HostExchangeItems = [string[]]@((New-FakeKvpXml 'AetherV.HostName' 'old-name'), (New-FakeKvpXml 'AetherV.Domain.Password' 'old')) }
        } -ParameterFilter { $ResultClassName -eq 'Msvm_KvpExchangeComponentSettingData' }
        Mock Invoke-CimMethod {
            $items = @($Arguments['DataItems'] | ForEach-Object { ([xml]$_).INSTANCE })
            [void]$Calls.Add([pscustomobject]@{
                    Method = $MethodName; Target = $Arguments['TargetSystem']; Service = $InputObject
                    Names = @($items | ForEach-Object { $_.SelectSingleNode("PROPERTY[@NAME='Name']/VALUE").InnerText })
                    Data = @($items | ForEach-Object { $_.SelectSingleNode("PROPERTY[@NAME='Data']/VALUE").InnerText })
                    Sources = @($items | ForEach-Object { $_.SelectSingleNode("PROPERTY[@NAME='Source']/VALUE").InnerText })
                })
            $code = 0
            if ($Returns.Count -gt 0) { $code = $Returns.Dequeue() }
            [pscustomobject]@{ ReturnValue = $code; Job = [pscustomobject]@{ InstanceID = 'job-1' } }
        }
    }

    It 'modifies existing keys, adds new ones and sends the commit key last' {
        $data = [ordered]@{ 'AetherV.HostName' = 'web-01'; 'AetherV.OS' = 'windows'; 'AetherV.Domain.Password' = 'Sup3r-Secret!' }
        $run = Invoke-AgentScriptUnderTest $script:Publish @{ VMName = 'web-01'; Data = $data; CommitKey = 'AetherV.Published'; CommitValue = 'job-1' }
        $run.ExitCode | Should -Be 0
        $Calls.Count | Should -Be 3
        $Calls[0].Method | Should -Be 'ModifyKvpItems'
        $Calls[0].Names | Should -Be @('AetherV.HostName', 'AetherV.Domain.Password')
        $Calls[0].Data | Should -Be @('web-01', 'Sup3r-Secret!')
        $Calls[1].Method | Should -Be 'AddKvpItems'
        $Calls[1].Names | Should -Be @('AetherV.OS')
        $Calls[2].Method | Should -Be 'AddKvpItems'
        $Calls[2].Names | Should -Be @('AetherV.Published')
        $Calls[2].Data | Should -Be @('job-1')
        @($Calls | ForEach-Object { $_.Sources } | Sort-Object -Unique) | Should -Be @('0')
        $Calls[0].Target | Should -Be $ComputerSystem
        $Calls[0].Service | Should -Be $Service
        $run.Result.data.added | Should -Be @('AetherV.OS', 'AetherV.Published')
        $run.Result.data.modified | Should -Be @('AetherV.HostName', 'AetherV.Domain.Password')
        ($run.Lines -join "`n") | Should -Not -BeLike '*Sup3r-Secret!*'
    }
    It 'accepts the data as JSON' {
        $run = Invoke-AgentScriptUnderTest $script:Publish @{ VMName = 'web-01'; DataJson = '{"AetherV.Data.role":"web"}' }
        $run.Result.ok | Should -BeTrue
        $Calls[0].Names | Should -Be @('AetherV.Data.role')
    }
    It 'removes keys the VM carries and ignores absent ones' {
        $run = Invoke-AgentScriptUnderTest $script:Publish @{ VMName = 'web-01'; RemoveKey = @('AetherV.Domain.Password', 'AetherV.Absent') }
        $run.Result.ok | Should -BeTrue
        $Calls.Count | Should -Be 1
        $Calls[0].Method | Should -Be 'RemoveKvpItems'
        $Calls[0].Names | Should -Be @('AetherV.Domain.Password')
        $run.Result.data.removed | Should -Be @('AetherV.Domain.Password')
    }
    It 'follows an asynchronous job to completion' {
        $Returns.Enqueue(4096)
        Mock Get-CimInstance { [pscustomobject]@{ JobState = 7; ErrorDescription = '' } } -ParameterFilter { $null -ne $InputObject }
        $run = Invoke-AgentScriptUnderTest $script:Publish @{ VMName = 'web-01'; Data = @{ 'AetherV.OS' = 'linux' } }
        $run.Result.ok | Should -BeTrue
        Should -Invoke Get-CimInstance -Times 1 -Exactly -ParameterFilter { $InputObject.InstanceID -eq 'job-1' }
    }
    It 'retries a failed call until it succeeds' {
        $Returns.Enqueue(32775)
        $run = Invoke-AgentScriptUnderTest $script:Publish @{ VMName = 'web-01'; Data = @{ 'AetherV.OS' = 'linux' }; TimeoutSeconds = 60 }
        $run.Result.ok | Should -BeTrue
        $run.Result.data.attempts | Should -Be 2
        @($run.Events | Where-Object { $_.stage -eq 'retry' -and $_.message -like '*invalid state*' }).Count | Should -Be 1
    }
    It 'reports what was done when a later call keeps failing' {
        $Returns.Enqueue(0)
        $Returns.Enqueue(4096)
        Mock Get-CimInstance { [pscustomobject]@{ JobState = 10; ErrorDescription = 'The guest is not responding.' } } -ParameterFilter { $null -ne $InputObject }
        $run = Invoke-AgentScriptUnderTest $script:Publish @{ VMName = 'web-01'; Data = [ordered]@{ 'AetherV.HostName' = 'web-01'; 'AetherV.OS' = 'linux' }; TimeoutSeconds = 0 }
        $run.ExitCode | Should -Be 1
        $run.Result.error.code | Should -Be 'KvpFailed'
        $run.Result.error.details.method | Should -Be 'AddKvpItems'
        $run.Result.error.details.done | Should -Be @('AetherV.HostName')
        $run.Result.error.message | Should -BeLike '*not responding*'
    }
    It 'rejects <Label> before calling Hyper-V' -ForEach @(
        @{ Label = 'a value over 1023 characters'; Code = 'ValueTooLarge'; Arguments = @{ VMName = 'web-01'; Data = @{ 'AetherV.Big' = ('v' * 1024) } } },
        @{ Label = 'a value over 2047 UTF-8 bytes'; Code = 'ValueTooLarge'; Arguments = @{ VMName = 'web-01'; Data = @{ 'AetherV.Big' = ([string][char]0x4E2D * 700) } } },
        @{ Label = 'a key over 255 characters'; Code = 'ValueTooLarge'; Arguments = @{ VMName = 'web-01'; Data = @{ ('k' * 256) = 'v' } } },
        @{ Label = 'JSON that is not an object of strings'; Code = 'InvalidArgument'; Arguments = @{ VMName = 'web-01'; DataJson = '{"a":1}' } },
        @{ Label = 'nothing to do'; Code = 'InvalidArgument'; Arguments = @{ VMName = 'web-01' } },
        @{ Label = 'no VM'; Code = 'InvalidArgument'; Arguments = @{ Data = @{ a = 'b' } } }
    ) {
        $run = Invoke-AgentScriptUnderTest $script:Publish $Arguments
        $run.ExitCode | Should -Be 1
        $run.Result.error.code | Should -Be $Code
        Should -Invoke Get-CimInstance -Times 0
        Should -Invoke Invoke-CimMethod -Times 0
    }
    It 'never echoes an oversized value' {
        $run = Invoke-AgentScriptUnderTest $script:Publish @{ VMName = 'web-01'; Data = @{ 'AetherV.Domain.Password' = ('S3cret' * 200) } }
        $run.Result.error.code | Should -Be 'ValueTooLarge'
        ($run.Lines -join "`n") | Should -Not -BeLike '*S3cretS3cret*'
    }
}
