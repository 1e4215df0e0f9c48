# Runs one Pester test file with Pester 5 from an explicit module path; exits 0 only when every
# test passed and at least one ran (ctest reads the exit code).
param(
    [Parameter(Mandatory = $true)][string]$PesterModule,
    [Parameter(Mandatory = $true)][string]$TestFile
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module -Name $PesterModule -Force
$config = New-PesterConfiguration
$config.Run.Path = $TestFile
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.Should.ErrorAction = 'Stop'
$result = Invoke-Pester -Configuration $config
if ($result.Result -ne 'Passed' -or $result.FailedCount -gt 0 -or $result.PassedCount -eq 0) {
    Write-Error "Pester: $($result.PassedCount) passed, $($result.FailedCount) failed, $($result.FailedBlocksCount) blocks failed" -ErrorAction Continue
    exit 1
}
exit 0
