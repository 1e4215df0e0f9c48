# Provisioning.CopyImage.ps1 and Provisioning.CopyProvisioningISO.ps1 against real files in
# $TestDrive, with Get-VMHost mocked.
BeforeAll {
    . (Join-Path $PSScriptRoot 'HyperVStandIns.ps1')
    $scripts = (Resolve-Path (Join-Path $PSScriptRoot '../../agent/scripts')).ProviderPath
    $script:CopyImage = Join-Path $scripts 'Provisioning.CopyImage.ps1'
    $script:CopyIso = Join-Path $scripts 'Provisioning.CopyProvisioningISO.ps1'
}

Describe 'Provisioning.CopyImage.ps1' {
    BeforeEach {
        $images = Join-Path $TestDrive ('images-' + [guid]::NewGuid().ToString('N'))
        $vms = Join-Path $TestDrive ('vms-' + [guid]::NewGuid().ToString('N'))
        [void](New-Item -ItemType Directory -Path $images, $vms)
        $bytes = New-Object byte[] (9MB + 123)
        (New-Object System.Random 7).NextBytes($bytes)
        [System.IO.File]::WriteAllBytes((Join-Path $images 'golden.vhdx'), $bytes)
        $imageHash = (Get-FileHash -LiteralPath (Join-Path $images 'golden.vhdx') -Algorithm SHA256).Hash
        $target = Join-Path $vms 'web-01/Virtual Hard Disks/web-01.vhdx'
        Mock Get-VMHost { [pscustomobject]@{ VirtualMachinePath = $vms; VirtualHardDiskPath = $images } }
    }

    It 'copies, verifies and reports the disk' {
        $run = Invoke-AgentScriptUnderTest $script:CopyImage @{ ImageName = 'golden.vhdx'; ImageDirectory = $images; VMName = 'web-01'; VMRootPath = $vms; ExpectedSha256 = $imageHash.ToLowerInvariant() }
        $run.ExitCode | Should -Be 0
        $run.ResultCount | Should -Be 1
        $run.Result.ok | Should -BeTrue
        $run.Result.data.destination | Should -Be $target
        $run.Result.data.sizeBytes | Should -Be (9MB + 123)
        $run.Result.data.sha256 | Should -Be $imageHash
        (Get-FileHash -LiteralPath $target -Algorithm SHA256).Hash | Should -Be $imageHash
        Test-Path -LiteralPath ($target + '.partial') | Should -BeFalse
        @($run.Events | Where-Object { $_.event -eq 'progress' -and $_.stage -eq 'copy' }).Count | Should -BeGreaterThan 2
        Should -Invoke Get-VMHost -Times 0
    }
    It 'takes default folders from Get-VMHost' {
        $run = Invoke-AgentScriptUnderTest $script:CopyImage @{ ImageName = 'golden.vhdx'; VMName = 'web-01' }
        $run.Result.ok | Should -BeTrue
        Test-Path -LiteralPath $target | Should -BeTrue
        Should -Invoke Get-VMHost -Times 1 -Exactly:$false
    }
    It 'refuses to overwrite an existing VM disk' {
        [void](New-Item -ItemType Directory -Path (Split-Path $target) -Force)
        Set-Content -LiteralPath $target -Value 'existing disk'
        $run = Invoke-AgentScriptUnderTest $script:CopyImage @{ ImageName = 'golden.vhdx'; ImageDirectory = $images; VMName = 'web-01'; VMRootPath = $vms }
        $run.ExitCode | Should -Be 1
        $run.Result.ok | Should -BeFalse
        $run.Result.error.code | Should -Be 'DiskExists'
        (Get-Content -LiteralPath $target -Raw).Trim() | Should -Be 'existing disk'
    }
    It 'fails on a hash mismatch without leaving a disk behind' {
        $run = Invoke-AgentScriptUnderTest $script:CopyImage @{ ImageName = 'golden.vhdx'; ImageDirectory = $images; VMName = 'web-01'; VMRootPath = $vms; ExpectedSha256 = ('0' * 64) }
        $run.Result.error.code | Should -Be 'HashMismatch'
        Test-Path -LiteralPath $target | Should -BeFalse
        Test-Path -LiteralPath ($target + '.partial') | Should -BeFalse
    }
    It 'rejects <Label> before touching the disk' -ForEach @(
        @{ Label = 'an image path with folders'; Image = '../golden.vhdx'; Vm = 'web-01'; Code = 'InvalidArgument' },
        @{ Label = 'a non-VHDX image'; Image = 'golden.iso'; Vm = 'web-01'; Code = 'InvalidArgument' },
        @{ Label = 'a VM name with a path separator'; Image = 'golden.vhdx'; Vm = 'a/b'; Code = 'InvalidArgument' },
        @{ Label = 'a missing image'; Image = 'absent.vhdx'; Vm = 'web-01'; Code = 'ImageNotFound' }
    ) {
        $run = Invoke-AgentScriptUnderTest $script:CopyImage @{ ImageName = $Image; ImageDirectory = $images; VMName = $Vm; VMRootPath = $vms }
        $run.ExitCode | Should -Be 1
        $run.Result.error.code | Should -Be $Code
        @(Get-ChildItem -LiteralPath $vms -Recurse).Count | Should -Be 0
    }
}

Describe 'Provisioning.CopyProvisioningISO.ps1' {
    BeforeEach {
        $install = Join-Path $TestDrive ('install-' + [guid]::NewGuid().ToString('N'))
        $vms = Join-Path $TestDrive ('vms-' + [guid]::NewGuid().ToString('N'))
        [void](New-Item -ItemType Directory -Path $install, $vms)
        Set-Content -LiteralPath (Join-Path $install 'LinuxProvisioning.iso') -Value 'linux seed'
        Set-Content -LiteralPath (Join-Path $install 'WindowsProvisioning.iso') -Value 'windows media'
        Mock Get-VMHost { [pscustomobject]@{ VirtualMachinePath = $vms; VirtualHardDiskPath = $vms } }
    }
    It 'stages the ISO for <Os>' -ForEach @(@{ Os = 'linux'; Iso = 'LinuxProvisioning.iso' }, @{ Os = 'windows'; Iso = 'WindowsProvisioning.iso' }) {
        $run = Invoke-AgentScriptUnderTest $script:CopyIso @{ OperatingSystem = $Os; VMName = 'vm1'; VMRootPath = $vms; SourceDirectory = $install }
        $run.Result.ok | Should -BeTrue
        $run.Result.data.reused | Should -BeFalse
        $staged = Join-Path $vms "vm1/$Iso"
        $run.Result.data.destination | Should -Be $staged
        (Get-FileHash $staged).Hash | Should -Be (Get-FileHash (Join-Path $install $Iso)).Hash
    }
    It 'keeps an identical staged copy and replaces a different one' {
        $first = Invoke-AgentScriptUnderTest $script:CopyIso @{ OperatingSystem = 'linux'; VMName = 'vm1'; VMRootPath = $vms; SourceDirectory = $install }
        $second = Invoke-AgentScriptUnderTest $script:CopyIso @{ OperatingSystem = 'linux'; VMName = 'vm1'; VMRootPath = $vms; SourceDirectory = $install }
        $first.Result.data.reused | Should -BeFalse
        $second.Result.data.reused | Should -BeTrue
        Set-Content -LiteralPath (Join-Path $vms 'vm1/LinuxProvisioning.iso') -Value 'stale'
        $third = Invoke-AgentScriptUnderTest $script:CopyIso @{ OperatingSystem = 'linux'; VMName = 'vm1'; VMRootPath = $vms; SourceDirectory = $install }
        $third.Result.data.reused | Should -BeFalse
        (Get-Content (Join-Path $vms 'vm1/LinuxProvisioning.iso') -Raw).Trim() | Should -Be 'linux seed'
    }
    It 'fails clearly when the bundle has no ISO' {
        Remove-Item -LiteralPath (Join-Path $install 'WindowsProvisioning.iso')
        $run = Invoke-AgentScriptUnderTest $script:CopyIso @{ OperatingSystem = 'windows'; VMName = 'vm1'; VMRootPath = $vms; SourceDirectory = $install }
        $run.ExitCode | Should -Be 1
        $run.Result.error.code | Should -Be 'IsoNotFound'
        $run.Result.error.message | Should -BeLike '*deploy the agent bundle*'
    }
    It 'uses the folder of the script when no source is given' {
        $run = Invoke-AgentScriptUnderTest $script:CopyIso @{ OperatingSystem = 'windows'; VMName = 'vm1'; VMRootPath = $vms }
        $run.Result.error.code | Should -Be 'IsoNotFound'
        $run.Result.error.message | Should -BeLike ('*' + [WildcardPattern]::Escape((Split-Path $script:CopyIso)) + '*')
    }
}
