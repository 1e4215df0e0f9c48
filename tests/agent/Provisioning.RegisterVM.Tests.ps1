# Provisioning.RegisterVM.ps1 with the Hyper-V cmdlets mocked.
BeforeAll {
    . (Join-Path $PSScriptRoot 'HyperVStandIns.ps1')
    $script:Register = (Resolve-Path (Join-Path $PSScriptRoot '../../agent/scripts/Provisioning.RegisterVM.ps1')).ProviderPath
}

Describe 'Provisioning.RegisterVM.ps1' {
    BeforeEach {
        $folder = Join-Path $TestDrive ('vm-' + [guid]::NewGuid().ToString('N'))
        [void](New-Item -ItemType Directory -Path $folder)
        $disk = Join-Path $folder 'web-01.vhdx'
        $iso = Join-Path $folder 'WindowsProvisioning.iso'
        Set-Content -LiteralPath $disk, $iso -Value 'x'
        $vmId = [guid]'6f1c3c53-5b8e-4a4c-9d51-5cf0a2f2f001'
        $vmObject = [pscustomobject]@{ Name = 'web-01'; Id = $vmId }
        $adapter = [pscustomobject]@{ Name = 'Network Adapter'; VMName = 'web-01' }
        $hardDisk = [pscustomobject]@{ Path = $disk; ControllerType = 'SCSI' }
        Mock Get-VM { }
        Mock Get-VMSwitch { [pscustomobject]@{ Name = 'LAN' } }
        Mock Get-VMHost { [pscustomobject]@{ VirtualMachinePath = $folder } }
        Mock New-VM { $vmObject }
        Mock Set-VMProcessor { }
        Mock Set-VMMemory { }
        Mock Get-VMNetworkAdapter { $adapter }
        Mock Set-VMNetworkAdapterVlan { }
        Mock Add-VMDvdDrive { }
        Mock Get-VMHardDiskDrive { $hardDisk }
        Mock Set-VMFirmware { }
        Mock Set-VMBios { }
        Mock Set-VM { }
        Mock Start-VM { }
        Mock Remove-VM { }
        $arguments = @{
            VMName = 'web-01'; VMRootPath = $folder; Generation = 2; ProcessorCount = 4; MemoryStartupMB = 4096
            DynamicMemory = $true; MemoryMinimumMB = 2048; MemoryMaximumMB = 8192; SwitchName = 'LAN'; VlanId = 120
            VhdPath = $disk; IsoPath = $iso; OperatingSystem = 'windows'; Start = $true; Notes = 'job 1'
        }
    }

    It 'creates, configures and starts a generation 2 VM' {
        $run = Invoke-AgentScriptUnderTest $script:Register $arguments
        $run.ExitCode | Should -Be 0
        $run.Result.ok | Should -BeTrue
        $run.Result.data.vmId | Should -Be ([string]$vmId)
        $run.Result.data.started | Should -BeTrue
        $run.Result.data.steps | Should -Be @('create', 'processor', 'memory', 'vlan', 'dvd', 'firmware', 'notes')
        Should -Invoke New-VM -Times 1 -Exactly -ParameterFilter { $Name -eq 'web-01' -and $Generation -eq 2 -and $MemoryStartupBytes -eq 4096MB -and $VHDPath -eq $disk -and $Path -eq $folder -and $SwitchName -eq 'LAN' }
        Should -Invoke Set-VMProcessor -Times 1 -Exactly -ParameterFilter { $Count -eq 4 -and $VM -eq $vmObject }
        Should -Invoke Set-VMMemory -Times 1 -Exactly -ParameterFilter { $DynamicMemoryEnabled -and $StartupBytes -eq 4096MB -and $MinimumBytes -eq 2048MB -and $MaximumBytes -eq 8192MB }
        Should -Invoke Set-VMNetworkAdapterVlan -Times 1 -Exactly -ParameterFilter { $Access -and $VlanId -eq 120 -and $VMNetworkAdapter -eq $adapter }
        Should -Invoke Add-VMDvdDrive -Times 1 -Exactly -ParameterFilter { $Path -eq $iso }
        Should -Invoke Set-VMFirmware -Times 1 -Exactly -ParameterFilter { $EnableSecureBoot -eq 'On' -and $SecureBootTemplate -eq 'MicrosoftWindows' -and $FirstBootDevice -eq $hardDisk }
        Should -Invoke Set-VMBios -Times 0
        Should -Invoke Set-VM -Times 1 -Exactly -ParameterFilter { $Notes -eq 'job 1' }
        Should -Invoke Start-VM -Times 1 -Exactly
        Should -Invoke Remove-VM -Times 0
    }
    It 'configures static memory, no VLAN and BIOS boot order on generation 1 Linux' {
        $arguments.Generation = 1; $arguments.DynamicMemory = $false; $arguments.Remove('MemoryMinimumMB'); $arguments.Remove('MemoryMaximumMB')
        $arguments.VlanId = 0; $arguments.OperatingSystem = 'linux'; $arguments.Start = $false
        $run = Invoke-AgentScriptUnderTest $script:Register $arguments
        $run.Result.ok | Should -BeTrue
        $run.Result.data.started | Should -BeFalse
        Should -Invoke Set-VMMemory -Times 1 -Exactly -ParameterFilter { -not $DynamicMemoryEnabled -and $StartupBytes -eq 4096MB }
        Should -Invoke Set-VMNetworkAdapterVlan -Times 0
        Should -Invoke Set-VMBios -Times 1 -Exactly -ParameterFilter { $StartupOrder[0] -eq 'IDE' }
        Should -Invoke Set-VMFirmware -Times 0
        Should -Invoke Start-VM -Times 0
    }
    It 'uses the Linux Secure Boot template on generation 2' {
        $arguments.OperatingSystem = 'linux'
        (Invoke-AgentScriptUnderTest $script:Register $arguments).Result.ok | Should -BeTrue
        Should -Invoke Set-VMFirmware -Times 1 -Exactly -ParameterFilter { $SecureBootTemplate -eq 'MicrosoftUEFICertificateAuthority' }
    }
    It 'rejects <Label> before creating anything' -ForEach @(
        @{ Label = 'an existing VM name'; Code = 'VMExists'; Setup = { Mock Get-VM { [pscustomobject]@{ Name = 'web-01' } } } },
        @{ Label = 'a missing switch'; Code = 'SwitchNotFound'; Setup = { Mock Get-VMSwitch { } } },
        @{ Label = 'a missing disk'; Code = 'DiskNotFound'; Setup = { Remove-Item -LiteralPath $disk } },
        @{ Label = 'a missing ISO'; Code = 'IsoNotFound'; Setup = { Remove-Item -LiteralPath $iso } },
        @{ Label = 'dynamic minimum above startup'; Code = 'InvalidArgument'; Setup = { $arguments.MemoryMinimumMB = 6144 } },
        @{ Label = 'a VM name with a path separator'; Code = 'InvalidArgument'; Setup = { $arguments.VMName = 'web\01' } }
    ) {
        . $Setup
        $run = Invoke-AgentScriptUnderTest $script:Register $arguments
        $run.ExitCode | Should -Be 1
        $run.Result.error.code | Should -Be $Code
        Should -Invoke New-VM -Times 0
    }
    It 'removes the half-made VM when a configuration step fails' {
        Mock Add-VMDvdDrive { throw 'The DVD drive could not be added.' }
        $run = Invoke-AgentScriptUnderTest $script:Register $arguments
        $run.ExitCode | Should -Be 1
        $run.Result.error.code | Should -Be 'ConfigurationFailed'
        $run.Result.error.message | Should -BeLike "*'dvd'*could not be added*"
        $run.Result.error.details.failedStep | Should -Be 'dvd'
        $run.Result.error.details.completedSteps | Should -Be @('create', 'processor', 'memory', 'vlan')
        $run.Result.error.details.rolledBack | Should -BeTrue
        Should -Invoke Remove-VM -Times 1 -Exactly -ParameterFilter { $VM -eq $vmObject -and $Force }
        Should -Invoke Start-VM -Times 0
    }
    It 'reports when even the rollback fails' {
        Mock Set-VMMemory { throw 'memory refused' }
        Mock Remove-VM { throw 'VM locked' }
        $run = Invoke-AgentScriptUnderTest $script:Register $arguments
        $run.Result.error.details.rolledBack | Should -BeFalse
        $run.Result.error.message | Should -BeLike '*memory refused*VM locked*'
    }
    It 'keeps a configured VM that fails to start' {
        Mock Start-VM { throw 'Not enough memory in the system to start the virtual machine.' }
        $run = Invoke-AgentScriptUnderTest $script:Register $arguments
        $run.ExitCode | Should -Be 1
        $run.Result.error.code | Should -Be 'StartFailed'
        $run.Result.data.vmId | Should -Be ([string]$vmId)
        $run.Result.data.started | Should -BeFalse
        Should -Invoke Remove-VM -Times 0
    }
}
