# Simulated Hyper-V module of aetherv-hostsim (see Hyper-V.psm1 and docs/hostsim.md).
@{
    RootModule        = 'Hyper-V.psm1'
    ModuleVersion     = '2.0.0.0'
    GUID              = 'af4bddd0-8583-4ff2-84b2-a33f5c8de8a7'
    Author            = 'Aether-V'
    Description       = 'Simulated Hyper-V cmdlets for aetherv-hostsim: VMs, switches and drives kept as JSON under C:\ProgramData\HyperVSim.'
    PowerShellVersion = '7.0'
    FunctionsToExport = @('Get-VMHost', 'Get-VMSwitch', 'New-VMSwitch', 'Get-VM', 'New-VM', 'Set-VMProcessor', 'Set-VMMemory',
        'Get-VMNetworkAdapter', 'Set-VMNetworkAdapterVlan', 'Get-VMHardDiskDrive', 'Get-VMDvdDrive', 'Add-VMDvdDrive',
        'Set-VMFirmware', 'Set-VMBios', 'Set-VM', 'Start-VM', 'Stop-VM', 'Remove-VM')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
