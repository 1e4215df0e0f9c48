#requires -Version 5.1

<#
.SYNOPSIS
    Runs one provisioning job: golden image -> configured, running, provisioned VM.

.DESCRIPTION
    Reads a JSON job (from -JobJson, the pipeline, -JobPath, or standard input), validates it
    against the job schema (agent/schema/job.schema.json, embedded below and checked by the
    tests to be identical) plus the rules a schema cannot express, and rejects an invalid job
    before anything changes. It then checks the host (VM name free, switch, image and ISO
    present) and runs the helper scripts beside it, in order:

      copyImage               Provisioning.CopyImage.ps1
      copyProvisioningIso     Provisioning.CopyProvisioningISO.ps1
      registerVM              Provisioning.RegisterVM.ps1
      publishProvisioningData Provisioning.PublishProvisioningData.ps1 (commit key AetherV.Published)
      waitForProvisioningKey  Provisioning.WaitForProvisioningKey.ps1
      removeSensitiveData     Provisioning.PublishProvisioningData.ps1 -RemoveKey (domain password)

    The first failing step stops the job; later steps are reported as skipped (except
    removeSensitiveData, which still runs once a password was published). Nothing is rolled back
    across steps: the result names what exists (see agent/README.md). With vm.start = false the
    VM is registered but not started, so publishing and waiting are skipped.

.PARAMETER JobJson
    The job as JSON text (also accepted from the pipeline).
.PARAMETER JobPath
    Path of a JSON file holding the job.
.PARAMETER ValidateOnly
    Validate the job and report; touch nothing (no Hyper-V access either).

.OUTPUTS
    JSON lines: the helpers' progress lines, one {"event":"step",...} line per step, and one
    result. Result data: jobId, vmName, vmId, steps[{name, status, error}]. Error codes:
    InvalidJson, InvalidJob (details: errors[]), PreflightFailed, StepFailed.

.EXAMPLE
    Get-Content job.json -Raw | .\Invoke-ProvisioningJob.ps1
.EXAMPLE
    .\Invoke-ProvisioningJob.ps1 -JobPath C:\jobs\web-01.json -ValidateOnly
#>
[CmdletBinding()]
param(
    [Parameter(ValueFromPipeline = $true)][string]$JobJson,
    [string]$JobPath,
    [switch]$ValidateOnly
)
begin {
    Set-StrictMode -Version 3.0
    $ErrorActionPreference = 'Stop'
    $ProgressPreference = 'SilentlyContinue'
    . (Join-Path $PSScriptRoot 'AetherV.Agent.Common.ps1')
    . (Join-Path $PSScriptRoot 'AetherV.Agent.Job.ps1')
    $pipelineText = New-Object System.Text.StringBuilder
}
process {
    if ($null -ne $JobJson) { [void]$pipelineText.AppendLine($JobJson) }
}
end {
    Invoke-AgentScript -Name 'Invoke-ProvisioningJob' -Body {
        # --- read and validate: nothing changes before this passes ----------------------------
        $text = $pipelineText.ToString()
        if ($JobPath) {
            if ($text.Trim()) { throw (New-AgentError -Code 'InvalidArgument' -Message 'Give the job as -JobPath or as JSON text, not both.') }
            if (-not (Test-Path -LiteralPath $JobPath -PathType Leaf)) { throw (New-AgentError -Code 'InvalidArgument' -Message ("Job file '{0}' does not exist." -f $JobPath)) }
            $text = [System.IO.File]::ReadAllText((Resolve-Path -LiteralPath $JobPath).ProviderPath)
        } elseif (-not $text.Trim() -and [Console]::IsInputRedirected) {
            $text = [Console]::In.ReadToEnd()
        }
        if (-not $text.Trim()) { throw (New-AgentError -Code 'InvalidArgument' -Message 'No job given: pass -JobJson, -JobPath or JSON on standard input.') }
        try {
            $job = ConvertFrom-Json -InputObject $text
        } catch {
            throw (New-AgentError -Code 'InvalidJson' -Message ('The job is not valid JSON: {0}' -f $_.Exception.Message))
        }
        $errors = Test-ProvisioningJob -Job $job
        if ($errors.Count -gt 0) {
            throw (New-AgentError -Code 'InvalidJob' -Message ('The job is invalid ({0} problem(s)): {1}' -f $errors.Count, ($errors -join '; ')) -Details ([ordered]@{ errors = @($errors) }))
        }
        $plan = Get-ProvisioningPlan -Job $job
        if ($ValidateOnly) {
            [ordered]@{ valid = $true; jobId = $plan.JobId; vmName = $plan.VMName; os = $plan.OS; kvpKeys = @($plan.KvpItems.Keys) }
            return
        }

        # --- preflight: still read-only -------------------------------------------------------
        $problems = Test-ProvisioningHost -Plan $plan -ScriptRoot $PSScriptRoot
        if ($problems.Count -gt 0) {
            throw (New-AgentError -Code 'PreflightFailed' -Message ('The host is not ready for this job: {0}' -f ($problems -join '; ')) -Details ([ordered]@{ errors = @($problems) }))
        }

        # --- steps ---------------------------------------------------------------------------
        $steps = New-Object System.Collections.ArrayList
        $state = @{ failed = $false; vmId = ''; passwordPublished = $false }
        $definitions = Get-ProvisioningSteps -Plan $plan
        foreach ($definition in $definitions) {
            $record = [ordered]@{ name = $definition.Name; status = 'skipped' }
            $skipReason = ''
            if ($definition.Skip) { $skipReason = $definition.Skip }
            elseif ($definition.Name -eq 'removeSensitiveData' -and -not $state.passwordPublished) { $skipReason = 'no sensitive data was published' }
            elseif ($state.failed -and -not $definition.Always) { $skipReason = 'an earlier step failed' }
            if ($skipReason) {
                $record['reason'] = $skipReason
                [void]$steps.Add($record)
                Write-Output (ConvertTo-AgentJsonLine ([ordered]@{ event = 'step'; step = $definition.Name; status = 'skipped'; reason = $record['reason'] }))
                continue
            }
            $parameters = $definition.Parameters
            if ($definition.NeedsVmId -and $state.vmId) { $parameters.Remove('VMName'); $parameters['VMId'] = $state.vmId }
            $outcome = $null
            Read-AgentResultLines -Path (Join-Path $PSScriptRoot $definition.Script) -Parameters $parameters | ForEach-Object {
                if ($_ -is [string]) { $_ } else { $outcome = $_ }
            }
            $stepLine = [ordered]@{ event = 'step'; step = $definition.Name }
            if ($outcome.ok) {
                $record['status'] = 'succeeded'
                $stepLine['status'] = 'succeeded'
                if ($null -ne $outcome.PSObject.Properties['data']) { $stepLine['data'] = $outcome.data }
                if ($definition.Name -eq 'registerVM') { $state.vmId = [string]$outcome.data.vmId }
                if ($definition.Name -eq 'publishProvisioningData' -and $plan.SensitiveKeys.Count -gt 0) { $state.passwordPublished = $true }
            } else {
                $record['status'] = 'failed'
                $record['error'] = $outcome.error
                $stepLine['status'] = 'failed'
                $stepLine['error'] = $outcome.error
                if ($null -ne $outcome.PSObject.Properties['data']) { $stepLine['data'] = $outcome.data }
                if ($definition.Name -eq 'publishProvisioningData' -and $plan.SensitiveKeys.Count -gt 0) {
                    # Some items may have arrived before the failure: clean up to be safe.
                    $state.passwordPublished = $true
                }
                if (-not $state.failed) { $state.failed = $true; $state['firstFailure'] = $definition.Name; $state['firstError'] = $outcome.error }
            }
            [void]$steps.Add($record)
            Write-Output (ConvertTo-AgentJsonLine $stepLine)
        }

        $summary = [ordered]@{ jobId = $plan.JobId; vmName = $plan.VMName; vmId = $state.vmId; steps = @($steps) }
        if ($state.failed) {
            $firstError = $state['firstError']
            throw (New-AgentError -Code 'StepFailed' -Message ("Step '{0}' failed: [{1}] {2}" -f $state['firstFailure'], $firstError.code, $firstError.message) -Data $summary)
        }
        $summary
    }
    exit $script:AgentExitCode
}
