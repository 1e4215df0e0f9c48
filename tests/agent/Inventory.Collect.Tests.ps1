# Inventory.Collect.ps1 with the CIM and Hyper-V cmdlets mocked.
BeforeAll {
    . (Join-Path $PSScriptRoot 'HyperVStandIns.ps1')
    $Inventory = (Resolve-Path (Join-Path $PSScriptRoot '../../agent/scripts/Inventory.Collect.ps1')).ProviderPath
}

Describe 'Inventory.Collect.ps1' {
    BeforeEach {
        Mock Get-CimInstance { [pscustomobject]@{ Caption = 'Microsoft Windows Server 2022 Datacenter'; Version = '10.0.20348'; BuildNumber = '20348'; FreePhysicalMemory = 1048576 } } -ParameterFilter { $ClassName -eq 'Win32_OperatingSystem' }
        Mock Get-CimInstance {
            [pscustomobject]@{ Name = ' Intel(R) Xeon(R) Gold 6338 '; NumberOfCores = 32; NumberOfLogicalProcessors = 64 }
            [pscustomobject]@{ Name = 'Intel(R) Xeon(R) Gold 6338'; NumberOfCores = 32; NumberOfLogicalProcessors = 64 }
        } -ParameterFilter { $ClassName -eq 'Win32_Processor' }
        Mock Get-CimInstance { [pscustomobject]@{ TotalPhysicalMemory = 274877906944; DNSHostName = 'hv01'; PartOfDomain = $true; Domain = 'corp.example.com' } } -ParameterFilter { $ClassName -eq 'Win32_ComputerSystem' }
        Mock Get-Module { [pscustomobject]@{ Name = 'Hyper-V'; Version = [version]'2.0.0.0' } } -ParameterFilter { $Name -eq 'Hyper-V' }
        Mock Import-Module { } -ParameterFilter { $Name -eq 'Hyper-V' }
        Mock Get-VMHost { [pscustomobject]@{ VirtualMachinePath = 'D:\Hyper-V'; VirtualHardDiskPath = 'D:\Hyper-V\Disks' } }
        Mock Get-VMSwitch { [pscustomobject]@{ Name = 'LAN'; Id = [guid]'11111111-2222-3333-4444-555555555555'; SwitchType = 'External'; NetAdapterInterfaceDescription = 'Mellanox ConnectX-5'; AllowManagementOS = $true } }
        $web = [pscustomobject]@{ Name = 'web-01'; Id = [guid]'0b7e3f0e-9b59-4a55-8d7e-0d0f3c1b2a01'; State = 'Running'; Generation = 2; ProcessorCount = 4; MemoryStartup = 4GB; MemoryAssigned = 3GB; DynamicMemoryEnabled = $true; Uptime = [TimeSpan]::FromHours(5); Path = 'D:\Hyper-V\web-01' }
        $broken = [pscustomobject]@{ Name = 'broken'; Id = [guid]'0b7e3f0e-9b59-4a55-8d7e-0d0f3c1b2a02'; State = 'Off'; Generation = 1; ProcessorCount = 1; MemoryStartup = 1GB; MemoryAssigned = 0; DynamicMemoryEnabled = $false; Uptime = [TimeSpan]::Zero; Path = 'D:\Hyper-V\broken' }
        Mock Get-VM { $web; $broken }
        Mock Get-VMHardDiskDrive { [pscustomobject]@{ Path = 'D:\Hyper-V\web-01\web-01.vhdx'; ControllerType = 'SCSI'; ControllerNumber = 0; ControllerLocation = 0 } } -ParameterFilter { $VM.Name -eq 'web-01' }
        Mock Get-VMHardDiskDrive { throw 'Access denied to the configuration of broken.' } -ParameterFilter { $VM.Name -eq 'broken' }
    }

    It 'reports host, Hyper-V, switches and VMs' {
        $run = Invoke-AgentScriptUnderTest $Inventory
        $run.ExitCode | Should -Be 0
        $data = $run.Result.data
        $data.hostName | Should -Be 'hv01.corp.example.com'
        $data.os.caption | Should -Be 'Microsoft Windows Server 2022 Datacenter'
        $data.cpu.sockets | Should -Be 2
        $data.cpu.logicalProcessors | Should -Be 128
        $data.cpu.model | Should -Be 'Intel(R) Xeon(R) Gold 6338'
        $data.memory.totalBytes | Should -Be 274877906944
        $data.memory.freeBytes | Should -Be 1073741824
        $data.hyperV.available | Should -BeTrue
        $data.hyperV.version | Should -Be '2.0.0.0'
        $data.defaults.virtualHardDiskPath | Should -Be 'D:\Hyper-V\Disks'
        $data.switches[0].name | Should -Be 'LAN'
        $data.switches[0].switchType | Should -Be 'External'
        @($data.vms).Count | Should -Be 1
        $data.vms[0].name | Should -Be 'web-01'
        $data.vms[0].state | Should -Be 'Running'
        $data.vms[0].memoryStartupBytes | Should -Be 4GB
        $data.vms[0].uptimeSeconds | Should -Be 18000
        $data.vms[0].disks[0].path | Should -Be 'D:\Hyper-V\web-01\web-01.vhdx'
        @($data.warnings) | Should -Be @("vm 'broken': Access denied to the configuration of broken.")
    }
    It 'degrades with a clear field when the Hyper-V module is absent' {
        Mock Get-Module { } -ParameterFilter { $Name -eq 'Hyper-V' }
        $run = Invoke-AgentScriptUnderTest $Inventory
        $run.ExitCode | Should -Be 0
        $run.Result.data.hyperV.available | Should -BeFalse
        $run.Result.data.hyperV.reason | Should -BeLike '*Hyper-V PowerShell module is not installed*'
        @($run.Result.data.vms).Count | Should -Be 0
        @($run.Result.data.switches).Count | Should -Be 0
        $run.Result.data.os.version | Should -Be '10.0.20348'
        Should -Invoke Get-VM -Times 0
        Should -Invoke Get-VMHost -Times 0
    }
    It 'reports a Hyper-V module that cannot be used' {
        Mock Get-VMHost { throw 'You do not have the required permission to complete this task.' }
        $run = Invoke-AgentScriptUnderTest $Inventory
        $run.Result.data.hyperV.available | Should -BeFalse
        $run.Result.data.hyperV.reason | Should -BeLike '*not usable*required permission*'
    }
    It 'keeps going when a section fails' {
        Mock Get-CimInstance { throw 'RPC server unavailable' } -ParameterFilter { $ClassName -eq 'Win32_Processor' }
        Mock Get-VMSwitch { throw 'switch query failed' }
        $run = Invoke-AgentScriptUnderTest $Inventory
        $run.Result.ok | Should -BeTrue
        $run.Result.data.cpu | Should -BeNullOrEmpty
        $run.Result.data.os.buildNumber | Should -Be '20348'
        @($run.Result.data.warnings) | Should -Contain 'cpu: RPC server unavailable'
        @($run.Result.data.warnings) | Should -Contain 'switches: switch query failed'
        $run.Result.data.vms[0].name | Should -Be 'web-01'
    }
    It 'leaves out VMs with -SkipVMs' {
        $run = Invoke-AgentScriptUnderTest $Inventory @{ SkipVMs = $true }
        @($run.Result.data.vms).Count | Should -Be 0
        Should -Invoke Get-VM -Times 0
    }
    It 'reports the agent version installed beside it' {
        $install = Join-Path $TestDrive 'install'
        [void](New-Item -ItemType Directory -Path $install -Force)
        Copy-Item -Path (Join-Path (Split-Path $Inventory) '*.ps1') -Destination $install
        Set-Content -LiteralPath (Join-Path $install 'version') -Value '2.5.1'
        $run = Invoke-AgentScriptUnderTest (Join-Path $install 'Inventory.Collect.ps1')
        $run.Result.data.agentVersion | Should -Be '2.5.1'
    }
}
