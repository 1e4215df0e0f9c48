<#
  Where a simulated (or real) host's CPU goes when the console runs its remote scripts: measured in
  one pwsh process, CPU time of this process between points, averaged over the last runs.
    pwsh -NoProfile -File benchmarks/fleet/ps_costs.ps1 -Build build [-Runs 8]
  Starts `aetherv-deploy serve` on the build's agent bundle, then measures
    - opening a runspace from the default session; the same plus one Get-Content (pywinrm's check);
    - Read-AgentState.ps1 in a fresh PowerShell object (compiled from text, as on every WinRM
      command) and the same compiled script block invoked again;
    - Deploy-AgentBundle.ps1 into fresh folders, per phase (markers inserted at its "# Step"
      comments in a copy of the assembled script).
#>
param([Parameter(Mandatory = $true)][string]$Build, [int]$Runs = 8)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$Build = (Resolve-Path $Build).Path
$scripts = Join-Path $Build 'core/remote-scripts'
$work = Join-Path ([IO.Path]::GetTempPath()) ('av-ps-costs-' + [Guid]::NewGuid().ToString('N').Substring(0, 8))
[void][IO.Directory]::CreateDirectory($work)
$serve = $null
try {
    $psi = [Diagnostics.ProcessStartInfo]::new((Join-Path $Build 'app/cli/aetherv-deploy'))
    foreach ($a in @('serve', '--bundle', (Join-Path $Build 'agent-bundle'), '--port', '0')) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $serve = [Diagnostics.Process]::Start($psi)
    $url = $null
    while ($null -eq $url) {
        $line = $serve.StandardOutput.ReadLine()
        if ($null -eq $line) { throw 'aetherv-deploy serve ended: ' + $serve.StandardError.ReadToEnd() }
        if ($line -match '"url":"([^"]+)"') { $url = $Matches[1] }
    }
    $manifest = Invoke-RestMethod "$url/manifest.json"
    $proc = [Diagnostics.Process]::GetCurrentProcess()
    function Get-Cpu { $proc.Refresh(); return $proc.TotalProcessorTime.TotalMilliseconds }
    function Measure-Cpu([string]$Label, [scriptblock]$Body) {
        & $Body | Out-Null # warm-up
        $c0 = Get-Cpu
        foreach ($k in 1..$Runs) { & $Body | Out-Null }
        '{0,-58} {1,7:N1} ms CPU' -f $Label, (((Get-Cpu) - $c0) / $Runs)
    }

    $iss = [initialsessionstate]::CreateDefault()
    $state = Join-Path $work 'state'
    [void][IO.Directory]::CreateDirectory($state)
    [IO.File]::WriteAllText((Join-Path $state 'version'), "0.0.1`r`n")
    $readText = [IO.File]::ReadAllText((Join-Path $scripts 'Read-AgentState.ps1'))
    $readJson = ConvertTo-Json -Compress @{ installDirectory = $state }
    Measure-Cpu 'runspace (default session) open + close' { $rs = [runspacefactory]::CreateRunspace($iss); $rs.Open(); $rs.Dispose() }
    Measure-Cpu 'runspace + Get-Content of the version file' {
        $rs = [runspacefactory]::CreateRunspace($iss); $rs.Open()
        $ps = [powershell]::Create(); $ps.Runspace = $rs
        [void]$ps.AddScript("Get-Content -Raw '$state/version'"); $ps.Invoke(); $ps.Dispose(); $rs.Dispose()
    }
    Measure-Cpu 'Read-AgentState.ps1, fresh PowerShell (compiled from text)' {
        $ps = [powershell]::Create(); [void]$ps.AddScript($readText).AddParameter('ParametersJson', $readJson); $ps.Invoke(); $ps.Dispose()
    }
    $readBlock = [scriptblock]::Create($readText)
    Measure-Cpu 'Read-AgentState.ps1, same compiled script block again' { & $readBlock -ParametersJson $readJson }

    # Deploy-AgentBundle.ps1 with phase markers.
    $text = [IO.File]::ReadAllText((Join-Path $scripts 'Deploy-AgentBundle.ps1'))
    $marks = [ordered]@{
        '    # Step 2.' = 'read deployed state'; '    # Step 3.' = 'staging + manifest fetch'
        '    # Step 4: reuse' = 'plan (hash reusable files)'; '    $jobs = New-Object System.Collections.Generic.List[object]' = 'downloads'
        '    # Step 5: verify' = 'verify staged files'; '    # Step 6.' = 'activate'; "    `$Av.Result.outcome = 'deployed'" = 'result + unlock'
    }
    foreach ($m in $marks.Keys) {
        $at = $text.IndexOf($m)
        if ($at -lt 0) { throw "marker not found in Deploy-AgentBundle.ps1: $m" }
        $text = $text.Insert($at, "    `$global:AvPhases.Add(@('$($marks[$m])', [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalMilliseconds))`n")
    }
    $deployBlock = [scriptblock]::Create($text)
    $totals = [ordered]@{}
    $all = 0.0
    foreach ($i in 1..($Runs + 1)) {
        $p = [ordered]@{ installDirectory = (Join-Path $work "install$i"); baseUrl = $url; expectedVersion = [string]$manifest.version
            expectedDigest = [string]$manifest.digest; maxAttempts = 3; retryIntervalSeconds = 1; parallelism = 4; force = $false
            timeoutSeconds = 120; lock = [ordered]@{ owner = 'ps_costs'; expirySeconds = 600 } }
        $global:AvPhases = [Collections.Generic.List[object]]::new()
        $c0 = Get-Cpu
        $global:AvPhases.Add(@('lock + parameters', $c0))
        $out = & $deployBlock -ParametersJson (ConvertTo-Json -Compress -Depth 5 $p)
        $c1 = Get-Cpu
        $global:AvPhases.Add(@('end', $c1))
        $result = ConvertFrom-Json ([string]@($out)[-1])
        if ($result.outcome -ne 'deployed') { throw "deploy run $i ended '$($result.outcome)': $($result.error)" }
        if ($i -eq 1) { continue } # warm-up
        $all += $c1 - $c0
        for ($k = 1; $k -lt $global:AvPhases.Count; $k++) {
            $name = $global:AvPhases[$k - 1][0]
            $totals[$name] = [double]($totals[$name] + 0) + ($global:AvPhases[$k][1] - $global:AvPhases[$k - 1][1])
        }
    }
    '{0,-58} {1,7:N1} ms CPU' -f "Deploy-AgentBundle.ps1, whole run ($([int]($manifest.files | Measure-Object -Property size -Sum).Sum) bytes)", ($all / $Runs)
    foreach ($name in $totals.Keys) { '  {0,-56} {1,7:N1} ms CPU' -f $name, ($totals[$name] / $Runs) }
}
finally {
    if ($null -ne $serve -and -not $serve.HasExited) { $serve.Kill() }
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
