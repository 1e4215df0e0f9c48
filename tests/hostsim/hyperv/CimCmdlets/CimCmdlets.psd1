# Simulated CimCmdlets module of aetherv-hostsim (see CimCmdlets.psm1 and docs/hostsim.md).
@{
    RootModule        = 'CimCmdlets.psm1'
    ModuleVersion     = '7.0.0.0'
    GUID              = 'c1b2e3d4-5f60-4a7b-8c9d-0e1f2a3b4c5d'
    Author            = 'Aether-V'
    Description       = 'Simulated CIM cmdlets for aetherv-hostsim: Hyper-V (root\virtualization\v2) and Win32 classes of the simulated host.'
    PowerShellVersion = '7.0'
    FunctionsToExport = @('Get-CimInstance', 'Get-CimAssociatedInstance', 'Invoke-CimMethod')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
