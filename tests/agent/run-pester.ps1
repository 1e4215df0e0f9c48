# ctest entry: runs Pester test files and exits non-zero when any test fails or none ran.
param(
    [Parameter(Mandatory = $true)][string]$PesterPath,
    [Parameter(Mandatory = $true)][string[]]$TestPath
)
$ErrorActionPreference = 'Stop'
Import-Module -Name $PesterPath -Force
$configuration = New-PesterConfiguration
# ctest passes one comma-separated argument (pwsh -File does not build arrays).
$configuration.Run.Path = @($TestPath | ForEach-Object { $_.Split(',') } | Where-Object { $_ })
$configuration.Run.PassThru = $true
$configuration.Run.Throw = $false
$configuration.Output.Verbosity = 'Normal'
$configuration.Should.ErrorAction = 'Stop'
$run = Invoke-Pester -Configuration $configuration
if ($run.FailedCount -gt 0 -or $run.FailedBlocksCount -gt 0 -or $run.FailedContainersCount -gt 0 -or $run.PassedCount -eq 0) {
    Write-Host ("Pester: {0} passed, {1} failed, {2} failed blocks, {3} failed containers" -f $run.PassedCount, $run.FailedCount, $run.FailedBlocksCount, $run.FailedContainersCount)
    exit 1
}
exit 0
