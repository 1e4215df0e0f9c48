<#
.SYNOPSIS
    Runs one provisioning job with the agent's own Invoke-ProvisioningJob.ps1 from the install
    directory (the deployed copy), passing the job as its documented pipeline input (-JobJson).
.DESCRIPTION
    Parameters (JSON): installDirectory, expectedVersion (the bundle version the console gated
    on), jobJson (the job document as JSON text, handed to the agent script byte for byte). Before anything runs, the install directory must hold
    Invoke-ProvisioningJob.ps1 and a version file equal to expectedVersion, and no live deploy
    lock (a deployment would replace the scripts while they run): otherwise the result says why
    and nothing is started.
    Every line the agent script writes (progress, step and its result) is passed on at once as
    {"event":"progress","stage":"job","line":"<the line>"}; the last line is this script's
    {"event":"result"} with outcome "ok" (the agent script ran; its own verdict is in jobResult)
    or "failed" (it could not be run), exitCode and jobResult (the agent's result line, verbatim).
    Runs on Windows PowerShell 5.1 and PowerShell 7.
#>
[CmdletBinding()]
param([Parameter(Mandatory = $true)][string]$ParametersJson)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$Av = @{ Cmdlet = $PSCmdlet }

#AETHERV-INCLUDE AvRemoteCommon.ps1

# ---- Invoke-DeployedProvisioningJob ----

function Invoke-AvProvisioningJob {
    $params = $null
    try { $params = ConvertFrom-AvJson $ParametersJson }
    catch { throw (New-AvFailure 'bad-parameters' 'ParametersJson is not valid JSON: pass {"installDirectory": "...", "expectedVersion": "...", "jobJson": "{...}"}') }
    $dir = Resolve-AvInstallDirectory (Get-AvProperty $params 'installDirectory')
    $Av.Result.installDirectory = $dir
    $jobText = Get-AvProperty $params 'jobJson'
    if ($jobText -isnot [string] -or $jobText.Trim().Length -eq 0) {
        throw (New-AvFailure 'bad-parameters' 'jobJson must be the job document as JSON text')
    }
    $script = [System.IO.Path]::Combine($dir, 'Invoke-ProvisioningJob.ps1')
    if (-not [System.IO.File]::Exists($script)) {
        throw (New-AvFailure 'not-deployed' "Invoke-ProvisioningJob.ps1 is not in $dir`: deploy the agent bundle to this host first")
    }
    $expected = Get-AvProperty $params 'expectedVersion'
    $versionPath = [System.IO.Path]::Combine($dir, 'version')
    $version = ''
    if ([System.IO.File]::Exists($versionPath)) { $version = Get-AvVersionText ([System.IO.File]::ReadAllBytes($versionPath)) }
    $Av.Result.hostVersion = $version
    if ($expected -is [string] -and $expected.Length -gt 0 -and $version -ne $expected) {
        throw (New-AvFailure 'version-mismatch' "the host runs agent version '$version', not '$expected' that the console checked: check the host again")
    }
    $lock = Read-AvLock ([System.IO.Path]::Combine($dir, '.aetherv.lock'))
    if ($null -ne $lock -and $lock.Valid -and $lock.ExpiresUtc -gt [DateTime]::UtcNow) {
        throw (New-AvFailure 'deploying' ("a deployment by $($lock.Owner) holds the install directory until " + (Format-AvUtc $lock.ExpiresUtc) + '; the job waits for it to finish'))
    }

    # The job travels as the script's pipeline input (its -JobJson parameter), never as code.
    $resultLine = $null
    $jobText | & $script | ForEach-Object {
        $line = [string]$_
        if ($line.StartsWith('{"event":"result"')) { $resultLine = $line }
        elseif ($line.Trim().Length -gt 0) { Write-AvLine ([ordered]@{ event = 'progress'; stage = 'job'; line = $line }) }
    }
    $Av.Result.exitCode = $LASTEXITCODE
    if ($null -eq $resultLine) {
        throw (New-AvFailure 'no-result' "Invoke-ProvisioningJob.ps1 ended (exit code $LASTEXITCODE) without a result line")
    }
    $Av.Result.jobResult = $resultLine
    $Av.Result.outcome = 'ok'
}

$Av.Result = [ordered]@{
    event = 'result'; outcome = 'failed'; installDirectory = $null; hostVersion = $null
    exitCode = $null; jobResult = $null; error = $null; code = $null
}
try {
    $null = Invoke-AvProvisioningJob
}
catch {
    $code = $_.Exception.Data['AvCode']
    if ($null -eq $code) { $code = 'run-failed' }
    $Av.Result.outcome = 'failed'
    $Av.Result.code = [string]$code
    $Av.Result.error = Get-AvErrorMessage $_.Exception
}
Write-AvLine $Av.Result
