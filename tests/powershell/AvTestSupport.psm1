# Test support for the remote scripts in resources/powershell: builds bundles, starts the real
# artifact server (aetherv-deploy serve) and the fault-injecting proxy, runs a script the way the
# console does (a separate pwsh process, one JSON parameter document) and parses its JSON lines.
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$script:Processes = New-Object System.Collections.Generic.List[System.Diagnostics.Process]
$script:TempDirs = New-Object System.Collections.Generic.List[string]

function Get-AvRequiredEnv {
    param([string]$Name)
    $v = [Environment]::GetEnvironmentVariable($Name)
    if ([string]::IsNullOrEmpty($v)) { throw "$Name is not set: run these tests through ctest (tests/powershell/CMakeLists.txt sets it)" }
    return $v
}

function Get-AvScriptPath {
    # The ASSEMBLED script (shared helpers spliced in at build time), i.e. the text the console ships:
    # AETHERV_REMOTE_SCRIPTS_DIR is <build>/core/remote-scripts, written by building aetherv_core.
    param([Parameter(Mandatory = $true)][string]$Name)
    $path = [System.IO.Path]::Combine((Get-AvRequiredEnv 'AETHERV_REMOTE_SCRIPTS_DIR'), "$Name.ps1")
    if (-not [System.IO.File]::Exists($path)) { throw "$path does not exist: build aetherv_core first (it assembles the remote scripts)" }
    return $path
}

function New-AvTempDir {
    $dir = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'aetherv-ps-' + [Guid]::NewGuid().ToString('N').Substring(0, 12))
    [void][System.IO.Directory]::CreateDirectory($dir)
    $script:TempDirs.Add($dir)
    return $dir
}

function New-AvContent {
    # Deterministic pseudo-random bytes: the same seed gives the same file in every bundle.
    param([int]$Seed, [long]$Size)
    $bytes = New-Object byte[] $Size
    (New-Object System.Random -ArgumentList $Seed).NextBytes($bytes)
    return , $bytes
}

function New-AvBundle {
    # Files: hashtable name -> byte[] (or a string, written as UTF-8). The version file is added.
    param([Parameter(Mandatory = $true)][string]$Version, [Parameter(Mandatory = $true)][hashtable]$Files)
    $dir = New-AvTempDir
    [System.IO.File]::WriteAllText([System.IO.Path]::Combine($dir, 'version'), "$Version`r`n")
    foreach ($name in $Files.Keys) {
        $value = $Files[$name]
        $path = [System.IO.Path]::Combine($dir, $name)
        if ($value -is [string]) { [System.IO.File]::WriteAllText($path, $value) } else { [System.IO.File]::WriteAllBytes($path, [byte[]]$value) }
    }
    return $dir
}

function Get-AvBundleManifest {
    param([Parameter(Mandatory = $true)][string]$Bundle)
    $exe = Get-AvRequiredEnv 'AETHERV_DEPLOY_BIN'
    $json = & $exe manifest --bundle $Bundle 2>$null
    if ($LASTEXITCODE -ne 0) { throw "aetherv-deploy manifest --bundle $Bundle failed ($LASTEXITCODE)" }
    return (($json -join "`n") | ConvertFrom-Json)
}

function Start-AvProcess {
    param([string]$FileName, [string[]]$Arguments)
    $psi = New-Object System.Diagnostics.ProcessStartInfo
    $psi.FileName = $FileName
    foreach ($a in $Arguments) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardInput = $true
    $p = [System.Diagnostics.Process]::Start($psi)
    $p.StandardInput.Close()
    $script:Processes.Add($p)
    return $p
}

function Read-AvReadyLine {
    param([System.Diagnostics.Process]$Process, [string]$What)
    $task = $Process.StandardOutput.ReadLineAsync()
    if (-not $task.Wait(60000)) { throw "$What did not report ready within 60 s" }
    if ($null -eq $task.Result) { throw "$What exited before it was ready: $($Process.StandardError.ReadToEnd())" }
    $ready = $task.Result | ConvertFrom-Json
    if ($ready.event -ne 'ready') { throw "$What printed an unexpected first line: $($task.Result)" }
    # Keep draining stderr so a chatty process never blocks on a full pipe.
    $null = $Process.StandardError.ReadToEndAsync()
    return $ready
}

function Start-AvServer {
    param([Parameter(Mandatory = $true)][string]$Bundle)
    $p = Start-AvProcess (Get-AvRequiredEnv 'AETHERV_DEPLOY_BIN') @('serve', '--bundle', $Bundle, '--port', '0')
    $ready = Read-AvReadyLine $p 'aetherv-deploy serve'
    return @{ Process = $p; Url = [string]$ready.url; Digest = [string]$ready.digest; Version = [string]$ready.version }
}

function Start-AvProxy {
    param([Parameter(Mandatory = $true)][string]$Upstream, [int]$FailFirst = 0, [string]$Corrupt, [string]$Hold)
    $log = [System.IO.Path]::Combine((New-AvTempDir), 'requests.jsonl')
    [System.IO.File]::WriteAllText($log, '')
    $arguments = @([System.IO.Path]::Combine($PSScriptRoot, 'faultproxy.py'), '--upstream', $Upstream, '--log', $log, '--fail-first', [string]$FailFirst)
    if ($Corrupt) { $arguments += @('--corrupt', $Corrupt) }
    if ($Hold) { $arguments += @('--hold', $Hold) }
    $p = Start-AvProcess '/usr/bin/python3' $arguments
    $ready = Read-AvReadyLine $p 'faultproxy.py'
    return @{ Process = $p; Url = [string]$ready.url; Log = $log }
}

function Get-AvProxyRequests {
    param([Parameter(Mandatory = $true)]$Proxy)
    return @([System.IO.File]::ReadAllLines($Proxy.Log) | Where-Object { $_ } | ForEach-Object { $_ | ConvertFrom-Json })
}

function Stop-AvProcesses {
    foreach ($p in $script:Processes) {
        try { if (-not $p.HasExited) { $p.Kill(); [void]$p.WaitForExit(10000) } } catch { $null = $_ }
        $p.Dispose()
    }
    $script:Processes.Clear()
}

function Remove-AvTempDirs {
    foreach ($d in $script:TempDirs) {
        if ([System.IO.Directory]::Exists($d)) {
            & /bin/chmod -R u+rwx $d 2>$null
            [System.IO.Directory]::Delete($d, $true)
        }
    }
    $script:TempDirs.Clear()
}

function Get-AvFreePort {
    $l = New-Object System.Net.Sockets.TcpListener -ArgumentList ([System.Net.IPAddress]::Loopback), 0
    $l.Start()
    $port = $l.LocalEndpoint.Port
    $l.Stop()
    return $port
}

function New-AvDeployParameters {
    param([string]$InstallDirectory, [string]$BaseUrl, [string]$Bundle, [string]$Owner = 'aetherv-console tester@ci pid 1 run test')
    $m = Get-AvBundleManifest $Bundle
    return [ordered]@{
        installDirectory = $InstallDirectory; baseUrl = $BaseUrl; expectedVersion = [string]$m.version
        expectedDigest = [string]$m.digest; maxAttempts = 3; retryIntervalSeconds = 1; parallelism = 4
        force = $false; timeoutSeconds = 120; lock = [ordered]@{ owner = $Owner; expirySeconds = 600 }
    }
}

function Invoke-AvScript {
    <#
      Runs the assembled resources/powershell/<Name>.ps1 in a fresh pwsh, as `pwsh -File X.ps1 -ParametersJson
      <json>` or (-ViaScriptBlock) the way the console's runner does it, and parses stdout.
      -FileSizeLimitKiB runs it under RLIMIT_FSIZE (SIGXFSZ ignored) so large writes fail with EFBIG.
    #>
    param([Parameter(Mandatory = $true)][string]$Name, $Parameters, [string]$RawJson, [switch]$ViaScriptBlock,
        [int]$FileSizeLimitKiB = 0, [int]$TimeoutSeconds = 300, [string]$WorkingDirectory)
    $json = $RawJson
    if ($null -ne $Parameters) { $json = ConvertTo-Json -InputObject $Parameters -Depth 10 -Compress }
    $pwsh = Get-AvRequiredEnv 'AETHERV_PWSH'
    $script = Get-AvScriptPath $Name
    $pwshArgs = @('-NoProfile', '-NonInteractive')
    if ($ViaScriptBlock) {
        $pwshArgs += @('-Command', '& ([scriptblock]::Create([System.IO.File]::ReadAllText($env:AV_TEST_SCRIPT))) -ParametersJson $env:AV_TEST_PARAMETERS')
    }
    else { $pwshArgs += @('-File', $script, '-ParametersJson', $json) }
    $psi = New-Object System.Diagnostics.ProcessStartInfo
    if ($FileSizeLimitKiB -gt 0) {
        $psi.FileName = '/bin/sh'
        foreach ($a in @('-c', 'trap "" XFSZ; ulimit -f "$1"; shift; exec "$@"', 'sh', [string]$FileSizeLimitKiB, $pwsh)) { $psi.ArgumentList.Add($a) }
        # The runtime's W^X double mapping needs a file larger than the limit.
        $psi.Environment['DOTNET_EnableWriteXorExecute'] = '0'
    }
    else { $psi.FileName = $pwsh }
    foreach ($a in $pwshArgs) { $psi.ArgumentList.Add($a) }
    foreach ($v in @('http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY')) { [void]$psi.Environment.Remove($v) }
    $psi.Environment['AV_TEST_SCRIPT'] = $script
    $psi.Environment['AV_TEST_PARAMETERS'] = $json
    if ($WorkingDirectory) { $psi.WorkingDirectory = $WorkingDirectory }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardInput = $true
    $psi.StandardOutputEncoding = New-Object System.Text.UTF8Encoding -ArgumentList $false
    $started = [DateTime]::UtcNow
    $p = [System.Diagnostics.Process]::Start($psi)
    try {
        $p.StandardInput.Close()
        $out = $p.StandardOutput.ReadToEndAsync()
        $err = $p.StandardError.ReadToEndAsync()
        if (-not $p.WaitForExit($TimeoutSeconds * 1000)) { $p.Kill(); throw "$Name did not finish within $TimeoutSeconds s" }
        $p.WaitForExit()
        $stdout = $out.Result
        $lines = @($stdout -split "`n" | Where-Object { $_ -ne '' })
        $objects = @($lines | ForEach-Object { $_ | ConvertFrom-Json -DateKind String })
        $results = @($objects | Where-Object { $_.event -eq 'result' })
        $result = $null
        if ($results.Count -gt 0) { $result = $results[-1] }
        return [pscustomobject]@{
            ExitCode = $p.ExitCode; Stdout = $stdout; Stderr = $err.Result; Lines = $lines; Objects = $objects
            Result = $result; Progress = @($objects | Where-Object { $_.event -eq 'progress' })
            Seconds = ([DateTime]::UtcNow - $started).TotalSeconds
        }
    }
    finally { $p.Dispose() }
}

function Get-AvTree {
    # name -> "size sha256 mtime-ticks" for every top-level file: equal trees mean nothing was touched.
    param([Parameter(Mandatory = $true)][string]$Directory, [switch]$IgnoreTimes)
    $tree = [ordered]@{}
    if (-not [System.IO.Directory]::Exists($Directory)) { return $tree }
    $names = @([System.IO.Directory]::GetFileSystemEntries($Directory) | ForEach-Object { [System.IO.Path]::GetFileName($_) } | Sort-Object)
    foreach ($n in $names) {
        $path = [System.IO.Path]::Combine($Directory, $n)
        if ([System.IO.Directory]::Exists($path)) { $tree[$n] = 'dir'; continue }
        $info = New-Object System.IO.FileInfo -ArgumentList $path
        $sha = (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash.ToLowerInvariant()
        $tree[$n] = "$($info.Length) $sha"
        if (-not $IgnoreTimes) { $tree[$n] += " $($info.LastWriteTimeUtc.Ticks)" }
    }
    return $tree
}

function Get-AvTreeText {
    param([Parameter(Mandatory = $true)][string]$Directory, [switch]$IgnoreTimes)
    $t = Get-AvTree $Directory -IgnoreTimes:$IgnoreTimes
    return (@($t.Keys | ForEach-Object { "$_=$($t[$_])" }) -join "`n")
}

function Assert-AvInstalled {
    # The install directory holds exactly the bundle plus manifest.json, byte for byte.
    param([Parameter(Mandatory = $true)][string]$Directory, [Parameter(Mandatory = $true)][string]$Bundle)
    $expected = @([System.IO.Directory]::GetFiles($Bundle) | ForEach-Object { [System.IO.Path]::GetFileName($_) }) + 'manifest.json' | Sort-Object
    $actual = @([System.IO.Directory]::GetFileSystemEntries($Directory) | ForEach-Object { [System.IO.Path]::GetFileName($_) }) | Sort-Object
    if (($actual -join '|') -ne ($expected -join '|')) { throw "install directory holds [$($actual -join ', ')], expected [$($expected -join ', ')]" }
    foreach ($f in [System.IO.Directory]::GetFiles($Bundle)) {
        $name = [System.IO.Path]::GetFileName($f)
        $a = (Get-FileHash -LiteralPath $f -Algorithm SHA256).Hash
        $b = (Get-FileHash -LiteralPath ([System.IO.Path]::Combine($Directory, $name)) -Algorithm SHA256).Hash
        if ($a -ne $b) { throw "$name differs from the bundle" }
    }
}

Export-ModuleMember -Function *-Av*
