<#
.SYNOPSIS
    Deploys the Aether-V agent bundle into the install directory (DESIGN.md "Deploying one host",
    steps 1-7): lock, current check, manifest, parallel verified downloads into a staging folder,
    journaled activation with the version file last, unlock.
.DESCRIPTION
    Guarantees on failure: the staging folder is removed, every live file stays as it was (the
    previous complete set and its version file), and the lock is released. Activation is journaled
    in the staging folder; if the process is killed mid-activation, the next run rolls it back
    before doing anything else. Writes JSON lines to stdout, exactly one {"event":"result"} last.
    Runs on Windows PowerShell 5.1 and PowerShell 7.
#>
[CmdletBinding()]
param([Parameter(Mandatory = $true)][string]$ParametersJson)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
[Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
if ([Net.ServicePointManager]::DefaultConnectionLimit -lt 32) { [Net.ServicePointManager]::DefaultConnectionLimit = 32 }

$Av = @{ Cmdlet = $PSCmdlet; Started = [DateTime]::UtcNow }

#AETHERV-INCLUDE AvRemoteCommon.ps1

# ---- Deploy-AgentBundle ----

function Write-AvProgress {
    param([string]$Stage, [System.Collections.IDictionary]$Fields)
    $line = [ordered]@{ event = 'progress'; stage = $Stage }
    if ($null -ne $Fields) { foreach ($k in $Fields.Keys) { $line[[string]$k] = $Fields[$k] } }
    Write-AvLine $line
}

function Get-AvInteger {
    param($Object, [string]$Name, [long]$Default, [long]$Min, [long]$Max)
    $v = Get-AvProperty $Object $Name
    if ($null -eq $v) { return $Default }
    $ok = ($v -is [int] -or $v -is [long]) -or (($v -is [double] -or $v -is [decimal]) -and [Math]::Floor($v) -eq $v)
    if (-not $ok -or $v -lt $Min -or $v -gt $Max) {
        throw (New-AvFailure 'bad-parameters' "$Name must be a whole number from $Min to $Max")
    }
    return [long]$v
}

function Read-AvParameters {
    try { $p = ConvertFrom-AvJson $ParametersJson }
    catch { throw (New-AvFailure 'bad-parameters' 'ParametersJson is not valid JSON: pass the deploy parameter document') }
    $Av.InstallDir = Resolve-AvInstallDirectory (Get-AvProperty $p 'installDirectory')
    $Av.Result.installDirectory = $Av.InstallDir
    $base = Get-AvProperty $p 'baseUrl'
    $uri = $null
    if ($base -isnot [string] -or -not [Uri]::TryCreate($base, [UriKind]::Absolute, [ref]$uri) -or
        ($uri.Scheme -ne 'http' -and $uri.Scheme -ne 'https')) {
        throw (New-AvFailure 'bad-parameters' 'baseUrl must be an absolute http:// or https:// URL such as http://console:8080/agent')
    }
    $Av.BaseUrl = $base.TrimEnd('/')
    $version = Get-AvProperty $p 'expectedVersion'
    if ($version -isnot [string] -or $version.Trim().Length -eq 0) { throw (New-AvFailure 'bad-parameters' 'expectedVersion must be a non-empty string') }
    $Av.ExpectedVersion = $version.Trim()
    $digest = Get-AvProperty $p 'expectedDigest'
    if ($digest -isnot [string] -or $digest -notmatch '^[0-9a-fA-F]{64}$') { throw (New-AvFailure 'bad-parameters' 'expectedDigest must be the 64-digit hex manifest digest') }
    $Av.ExpectedDigest = $digest.ToLowerInvariant()
    $Av.MaxAttempts = Get-AvInteger $p 'maxAttempts' 3 1 100
    $Av.RetryMs = 1000 * (Get-AvInteger $p 'retryIntervalSeconds' 5 0 3600)
    $Av.Parallelism = Get-AvInteger $p 'parallelism' 4 1 32
    $timeout = Get-AvInteger $p 'timeoutSeconds' 600 1 604800
    $Av.Deadline = $Av.Started.AddSeconds($timeout)
    $Av.StallMs = 1000 * [Math]::Min(60, $timeout)
    $force = Get-AvProperty $p 'force'
    if ($null -eq $force) { $force = $false }
    if ($force -isnot [bool]) { throw (New-AvFailure 'bad-parameters' 'force must be true or false') }
    $Av.Force = $force
    $lock = Get-AvProperty $p 'lock'
    $owner = Get-AvProperty $lock 'owner'
    if ($owner -isnot [string] -or $owner.Trim().Length -eq 0) { throw (New-AvFailure 'bad-parameters' 'lock.owner must name this console run') }
    $Av.LockOwner = $owner
    $Av.LockExpirySeconds = Get-AvInteger $lock 'expirySeconds' 1800 1 604800
}

function Assert-AvTime {
    if ([DateTime]::UtcNow -ge $Av.Deadline) {
        throw (New-AvFailure 'timeout' 'The deployment did not finish within timeoutSeconds: raise the timeout or check the host''s bandwidth to the console')
    }
}

function Write-AvFileBytes {
    param([string]$Path, [byte[]]$Bytes, [System.IO.FileMode]$Mode)
    $fs = [System.IO.FileStream]::new($Path, $Mode, [System.IO.FileAccess]::Write, [System.IO.FileShare]::Read)
    try { $fs.Write($Bytes, 0, $Bytes.Length); $fs.Flush($true) }
    finally { $fs.Dispose() }
}

function Remove-AvTree {
    param([string]$Path)
    if (-not [System.IO.Directory]::Exists($Path)) { return }
    # Read-only files would make the recursive delete fail on Windows.
    foreach ($f in [System.IO.Directory]::GetFiles($Path, '*', [System.IO.SearchOption]::AllDirectories)) {
        [System.IO.File]::SetAttributes($f, [System.IO.FileAttributes]::Normal)
    }
    [System.IO.Directory]::Delete($Path, $true)
}

# ---- step 1: lock ----

function Enter-AvLock {
    $path = [System.IO.Path]::Combine($Av.InstallDir, '.aetherv.lock')
    $Av.LockToken = [Guid]::NewGuid().ToString('N')
    for ($round = 0; $round -lt 5; $round++) {
        $expires = [DateTime]::UtcNow.AddSeconds($Av.LockExpirySeconds)
        $doc = [ordered]@{
            owner = $Av.LockOwner; expiresUtc = Format-AvUtc $expires; token = $Av.LockToken
            acquiredUtc = Format-AvUtc ([DateTime]::UtcNow); computerName = $Av.Result.computerName; pid = $PID
        }
        $bytes = [System.Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -InputObject $doc -Compress))
        try {
            Write-AvFileBytes $path $bytes ([System.IO.FileMode]::CreateNew)
            $Av.LockPath = $path
            Write-AvProgress 'lock' ([ordered]@{ owner = $Av.LockOwner; expiresUtc = $doc.expiresUtc })
            return $true
        }
        catch [System.IO.IOException] {
            if (-not [System.IO.File]::Exists($path)) { throw }
        }
        $held = Read-AvLock $path
        if ($null -eq $held) { continue }
        $now = [DateTime]::UtcNow
        if ($held.Valid) {
            $live = $held.ExpiresUtc -gt $now
            if ($live -and $held.Owner -cne $Av.LockOwner) {
                $Av.Result.lockOwner = $held.Owner
                $Av.Result.lockExpiresUtc = Format-AvUtc $held.ExpiresUtc
                return $false
            }
        }
        elseif (($now - $held.LastWriteUtc).TotalSeconds -lt 60) {
            # Unreadable and fresh: another run may be writing it right now.
            $Av.Result.lockOwner = '(unreadable lock file)'
            $Av.Result.lockExpiresUtc = Format-AvUtc ($held.LastWriteUtc.AddSeconds(60))
            return $false
        }
        # Expired, unreadable for a minute, or left by this very run: move it aside, then retake it.
        $aside = $path + '.stale-' + [Guid]::NewGuid().ToString('N')
        try { [System.IO.File]::Move($path, $aside) }
        catch [System.IO.FileNotFoundException] { continue }
        $movedBytes = [System.IO.File]::ReadAllBytes($aside)
        if ([Convert]::ToBase64String($movedBytes) -ne [Convert]::ToBase64String($held.Raw)) {
            # Someone replaced the lock between our read and the move: give theirs back and look again.
            try { [System.IO.File]::Move($aside, $path) } catch { [System.IO.File]::Delete($aside) }
            continue
        }
        [System.IO.File]::Delete($aside)
        $previous = $held.Owner
        $expiredAt = $null
        if ($held.Valid) { $expiredAt = Format-AvUtc $held.ExpiresUtc }
        $Av.Result.lockTakenOverFrom = $previous
        Write-AvProgress 'lock' ([ordered]@{ takeover = $true; previousOwner = $previous; previousExpiresUtc = $expiredAt
                message = 'took over an expired or unreadable deploy lock' })
    }
    throw (New-AvFailure 'lock-failed' 'The deploy lock kept changing hands: another console is deploying to this host; try again later')
}

function Test-AvLockOwned {
    if ($null -eq $Av.LockPath) { return $false }
    $held = Read-AvLock $Av.LockPath
    return ($null -ne $held -and $held.Valid -and $held.Token -ceq $Av.LockToken)
}

function Exit-AvLock {
    if ($null -eq $Av.LockPath) { return }
    if (Test-AvLockOwned) { [System.IO.File]::Delete($Av.LockPath) }
    $Av.LockPath = $null
}

# ---- step 2: what is deployed ----

function Get-AvDeployedState {
    $s = @{ VersionText = $null; Digest = $null; Manifest = $null }
    $versionPath = [System.IO.Path]::Combine($Av.InstallDir, 'version')
    if ([System.IO.File]::Exists($versionPath)) { $s.VersionText = Get-AvVersionText ([System.IO.File]::ReadAllBytes($versionPath)) }
    $manifestPath = [System.IO.Path]::Combine($Av.InstallDir, 'manifest.json')
    if ([System.IO.File]::Exists($manifestPath)) {
        $m = Read-AvManifestText (ConvertFrom-AvTextBytes ([System.IO.File]::ReadAllBytes($manifestPath)))
        if ($m.Valid) { $s.Digest = $m.Digest; $s.Manifest = $m }
    }
    return $s
}

function Test-AvLiveSetComplete {
    param($Manifest)
    foreach ($e in $Manifest.Entries) {
        $f = New-Object System.IO.FileInfo -ArgumentList ([System.IO.Path]::Combine($Av.InstallDir, $e.Name))
        if (-not $f.Exists -or $f.Length -ne $e.Size) { return $false }
    }
    return $true
}

# ---- recovery of a run killed mid-activation ----

function Undo-AvActivation {
    param([string]$Staging, $Journal)
    $old = [System.IO.Path]::Combine($Staging, 'old')
    $moves = @($Journal.moves)
    [Array]::Reverse($moves)
    foreach ($m in $moves) {
        $live = [System.IO.Path]::Combine($Av.InstallDir, $m.name)
        $aside = [System.IO.Path]::Combine($old, $m.name)
        $source = [System.IO.Path]::Combine($Staging, $m.source)
        if ([System.IO.File]::Exists($aside)) {
            if ([System.IO.File]::Exists($live)) {
                if ([System.IO.File]::Exists($source)) { [System.IO.File]::Delete($live) } else { [System.IO.File]::Move($live, $source) }
            }
            [System.IO.File]::Move($aside, $live)
        }
        elseif (-not $m.hadLive -and [System.IO.File]::Exists($live) -and -not [System.IO.File]::Exists($source)) {
            [System.IO.File]::Move($live, $source)
        }
    }
    foreach ($name in @($Journal.removes)) {
        $live = [System.IO.Path]::Combine($Av.InstallDir, $name)
        $aside = [System.IO.Path]::Combine($old, $name)
        if ([System.IO.File]::Exists($aside) -and -not [System.IO.File]::Exists($live)) { [System.IO.File]::Move($aside, $live) }
    }
}

function Restore-AvInterrupted {
    foreach ($staging in [System.IO.Directory]::GetDirectories($Av.InstallDir, '.staging-*')) {
        $journalPath = [System.IO.Path]::Combine($staging, 'journal.json')
        $committed = [System.IO.File]::Exists([System.IO.Path]::Combine($staging, 'committed'))
        if ([System.IO.File]::Exists($journalPath) -and -not $committed) {
            $journal = $null
            try { $journal = ConvertFrom-AvJson ([System.IO.File]::ReadAllText($journalPath, [System.Text.Encoding]::UTF8)) } catch { $journal = $null }
            if ($null -ne $journal) {
                # Written (and flushed) before the first move, so a readable journal is complete.
                Write-AvProgress 'recover' ([ordered]@{ staging = [System.IO.Path]::GetFileName($staging); message = 'rolling back an interrupted activation' })
                try { Undo-AvActivation $staging $journal }
                catch { throw (New-AvFailure 'recovery-failed' ("Rolling back an interrupted deployment failed: " + (Get-AvErrorMessage $_.Exception) + ". Close programs using files in the install directory and deploy again.")) }
            }
        }
        Remove-AvTree $staging
    }
}

# ---- steps 3-4: downloads (runspace pool inside this one process) ----

$AvDownloadWorker = {
    param($Job, $Shared)
    Set-StrictMode -Version 3.0
    $ErrorActionPreference = 'Stop'
    $ProgressPreference = 'SilentlyContinue'

    function Get-InnerMessage {
        param($Exception)
        $e = $Exception
        while ($null -ne $e.InnerException) { $e = $e.InnerException }
        return [string]$e.Message
    }

    function Stop-Wait {
        param($Task, $Request, [ref]$LastData)
        # Waits for a task while honouring cancel, the deadline and the stall limit.
        while (-not $Task.IsCompleted) {
            [void][System.Threading.Tasks.Task]::WaitAny([System.Threading.Tasks.Task[]]@($Task), 100)
            if ($Task.IsCompleted) { break }
            $now = [DateTime]::UtcNow
            $why = $null
            if ($Shared.Cancel) { $why = 'cancelled' }
            elseif ($now.Ticks -ge $Job.DeadlineTicks) { $why = 'timeout' }
            elseif (($now - $LastData.Value).TotalMilliseconds -ge $Job.StallMs) { $why = 'stalled' }
            if ($null -ne $why) {
                try { $Request.Abort() } catch { $null = $_ }
                throw (@{ Code = $why; Retry = ($why -eq 'stalled'); Message = "download of $($Job.Name) $why after $([int]($Job.StallMs / 1000)) s without data or at the deadline" })
            }
        }
    }

    function Receive-Once {
        $request = [System.Net.WebRequest]::Create($Job.Url)
        $request.Method = 'GET'
        $request.UserAgent = 'AetherV-Deploy/1'
        $request.AllowAutoRedirect = $true
        $request.ReadWriteTimeout = [int]$Job.StallMs
        $lastData = [DateTime]::UtcNow
        $responseTask = $request.GetResponseAsync()
        Stop-Wait $responseTask $request ([ref]$lastData)
        if ($responseTask.IsCanceled) { throw (@{ Code = 'network'; Retry = $true; Message = "GET $($Job.Url) was cancelled" }) }
        if ($responseTask.IsFaulted) {
            $ex = $responseTask.Exception.InnerException
            $status = 0
            if ($ex -is [System.Net.WebException] -and $null -ne $ex.Response) {
                $status = [int]$ex.Response.StatusCode
                $ex.Response.Dispose()
            }
            if ($status -gt 0) {
                throw (@{ Code = 'http'; Retry = ($status -ge 500 -or $status -eq 408 -or $status -eq 429); Message = "HTTP $status from $($Job.Url)" })
            }
            throw (@{ Code = 'network'; Retry = $true; Message = "GET $($Job.Url) failed: " + (Get-InnerMessage $ex) })
        }
        $response = $responseTask.Result
        $file = $null
        $sha = [System.Security.Cryptography.SHA256]::Create()
        try {
            if ($Job.Size -ge 0 -and $response.ContentLength -ge 0 -and $response.ContentLength -ne $Job.Size) {
                throw (@{ Code = 'hash-mismatch'; Retry = $true; Message = "the server sent $($response.ContentLength) bytes for $($Job.Name), the manifest says $($Job.Size)" })
            }
            $stream = $response.GetResponseStream()
            try { $file = [System.IO.FileStream]::new($Job.Path, [System.IO.FileMode]::Create, [System.IO.FileAccess]::Write, [System.IO.FileShare]::None, 65536) }
            catch { throw (@{ Code = 'disk-write-failed'; Retry = $false; Message = "cannot create $($Job.Path): $(Get-InnerMessage $_.Exception)" }) }
            $buffer = [byte[]]::new(131072)
            $total = [long]0
            while ($true) {
                $readTask = $stream.ReadAsync($buffer, 0, $buffer.Length)
                Stop-Wait $readTask $request ([ref]$lastData)
                if ($readTask.IsFaulted -or $readTask.IsCanceled) {
                    throw (@{ Code = 'network'; Retry = $true; Message = "reading $($Job.Url) failed: " + (Get-InnerMessage $readTask.Exception) })
                }
                $n = $readTask.Result
                if ($n -le 0) { break }
                $lastData = [DateTime]::UtcNow
                $total += $n
                if ($total -gt $Job.MaxBytes) {
                    throw (@{ Code = 'hash-mismatch'; Retry = $true; Message = "the server sent more than $($Job.MaxBytes) bytes for $($Job.Name)" })
                }
                try { $file.Write($buffer, 0, $n) }
                catch { throw (@{ Code = 'disk-write-failed'; Retry = $false; Message = "writing $($Job.Path) failed: $(Get-InnerMessage $_.Exception)" }) }
                [void]$sha.TransformBlock($buffer, 0, $n, $null, 0)
                $Job.Bytes = $total
            }
            try { $file.Flush($true); $file.Dispose(); $file = $null }
            catch { throw (@{ Code = 'disk-write-failed'; Retry = $false; Message = "writing $($Job.Path) failed: $(Get-InnerMessage $_.Exception)" }) }
            [void]$sha.TransformFinalBlock([byte[]]::new(0), 0, 0)
            $hex = [System.BitConverter]::ToString($sha.Hash).Replace('-', '').ToLowerInvariant()
            if ($Job.Size -ge 0 -and ($total -ne $Job.Size -or $hex -ne $Job.Sha256)) {
                throw (@{ Code = 'hash-mismatch'; Retry = $true; Message = "$($Job.Name) arrived with $total bytes and SHA-256 $hex, the manifest says $($Job.Size) bytes and $($Job.Sha256)" })
            }
        }
        finally {
            # Disposing flushes what is still buffered; on a full disk that throws again and
            # would replace the real error (disk-write-failed) with a generic one.
            if ($null -ne $file) { try { $file.Dispose() } catch { $null = $_ } }
            $sha.Dispose()
            $response.Dispose()
        }
    }

    $attempt = 0
    while ($true) {
        $attempt++
        $Job.Attempt = $attempt
        $Job.Bytes = 0
        $Job.State = 'running'
        if ($Shared.Cancel) { $Job.Code = 'cancelled'; $Job.State = 'failed'; return }
        $failure = $null
        try { Receive-Once; $Job.State = 'done'; return }
        catch {
            $failure = $_.TargetObject
            if ($failure -isnot [hashtable]) { $failure = @{ Code = 'network'; Retry = $true; Message = [string]$_.Exception.Message } }
        }
        try { if ([System.IO.File]::Exists($Job.Path)) { [System.IO.File]::Delete($Job.Path) } } catch { $null = $_ }
        $nextStart = [DateTime]::UtcNow.AddMilliseconds($Job.RetryMs)
        if ($Shared.Cancel -or -not $failure.Retry -or $attempt -ge $Job.MaxAttempts -or $nextStart.Ticks -ge $Job.DeadlineTicks) {
            if ($failure.Retry -and $attempt -lt $Job.MaxAttempts -and -not $Shared.Cancel) { $failure.Code = 'timeout' }
            $Job.Code = $failure.Code
            $Job.Error = $failure.Message
            $Job.State = 'failed'
            return
        }
        $Shared.Events.Enqueue(@{ file = $Job.Name; attempt = $attempt; maxAttempts = $Job.MaxAttempts; code = $failure.Code
                error = $failure.Message; retryInSeconds = $Job.RetryMs / 1000 })
        while ([DateTime]::UtcNow -lt $nextStart -and -not $Shared.Cancel) { [System.Threading.Thread]::Sleep(100) }
    }
}

function New-AvDownloadJob {
    param([string]$Name, [string]$UrlPath, [string]$Path, [long]$Size, [string]$Sha256, [long]$MaxBytes)
    return [hashtable]::Synchronized(@{
            Name = $Name; Url = $Av.BaseUrl + '/' + $UrlPath; Path = $Path; Size = $Size; Sha256 = $Sha256; MaxBytes = $MaxBytes
            MaxAttempts = $Av.MaxAttempts; RetryMs = $Av.RetryMs; StallMs = $Av.StallMs; DeadlineTicks = $Av.Deadline.Ticks
            Attempt = 0; Bytes = [long]0; State = 'queued'; Code = $null; Error = $null
        })
}

function Get-AvDownloadPool {
    # One runspace pool serves every download of the run (the manifest, then the files). Its
    # runspaces start from the small default session (CreateDefault2: the core commands, the
    # rest loaded on demand, and the worker uses none) with the worker defined as a function, so
    # each job is an invocation, not another parse of the worker's text: the host's CPU goes
    # into the bytes, not into PowerShell's setup.
    if ($null -eq $Av.Pool) {
        $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
        $iss.Commands.Add((New-Object System.Management.Automation.Runspaces.SessionStateFunctionEntry -ArgumentList 'Invoke-AvDownloadWorker', $AvDownloadWorker.ToString()))
        $pool = [runspacefactory]::CreateRunspacePool($iss)
        [void]$pool.SetMaxRunspaces([int]$Av.Parallelism)
        $pool.Open()
        $Av.Pool = $pool
    }
    return $Av.Pool
}

function Invoke-AvDownloads {
    param([object[]]$Jobs, [string]$Stage)
    # Runs the jobs at most Parallelism at a time; returns the first failed job or $null.
    $shared = [hashtable]::Synchronized(@{ Cancel = $false; Events = New-Object 'System.Collections.Concurrent.ConcurrentQueue[object]' })
    $pool = Get-AvDownloadPool
    $runs = New-Object System.Collections.Generic.List[object]
    $failed = $null
    try {
        foreach ($job in $Jobs) {
            $ps = [powershell]::Create()
            $ps.RunspacePool = $pool
            [void]$ps.AddCommand('Invoke-AvDownloadWorker').AddArgument($job).AddArgument($shared)
            $runs.Add(@{ PS = $ps; Handle = $ps.BeginInvoke(); Job = $job; Emitted = [DateTime]::MinValue; Bytes = [long]-1; Reported = $false })
        }
        while ($true) {
            $note = $null
            while ($shared.Events.TryDequeue([ref]$note)) { Write-AvProgress 'retry' $note }
            $pending = 0
            $now = [DateTime]::UtcNow
            foreach ($r in $runs) {
                $job = $r.Job
                if ($r.Reported) { continue }
                if ($r.Handle.IsCompleted -and $job.State -ne 'done' -and $job.State -ne 'failed') {
                    $job.Code = 'internal'
                    $job.Error = 'download worker stopped: ' + (@($r.PS.Streams.Error) -join '; ')
                    $job.State = 'failed'
                }
                if ($job.State -eq 'done' -or $job.State -eq 'failed') {
                    $r.Reported = $true
                    if ($job.State -eq 'done') {
                        Write-AvProgress $Stage ([ordered]@{ file = $job.Name; bytes = $job.Bytes; total = $job.Bytes; attempt = $job.Attempt; done = $true })
                    }
                    elseif ($null -eq $failed -and $job.Code -ne 'cancelled') {
                        $failed = $job
                        $shared.Cancel = $true
                    }
                    continue
                }
                $pending++
                if ($job.State -eq 'running' -and $job.Bytes -ne $r.Bytes -and ($now - $r.Emitted).TotalMilliseconds -ge 250) {
                    $r.Bytes = $job.Bytes
                    $r.Emitted = $now
                    Write-AvProgress $Stage ([ordered]@{ file = $job.Name; bytes = $job.Bytes; total = $job.Size; attempt = $job.Attempt })
                }
            }
            if ($pending -eq 0) { break }
            # Workers stop themselves at the deadline; this only guards against a wedged one.
            if ($now -gt $Av.Deadline.AddSeconds(15)) { $shared.Cancel = $true; break }
            Start-Sleep -Milliseconds 100
        }
        $note = $null
        while ($shared.Events.TryDequeue([ref]$note)) { Write-AvProgress 'retry' $note }
        if ($null -eq $failed) {
            foreach ($r in $runs) {
                if ($r.Job.State -ne 'done') { $failed = $r.Job; if ($failed.Code -eq 'cancelled' -or $null -eq $failed.Code) { $failed.Code = 'timeout' } }
            }
        }
    }
    finally {
        $shared.Cancel = $true
        foreach ($r in $runs) {
            if (-not $r.Handle.IsCompleted) { try { $r.PS.Stop() } catch { $null = $_ } }
            $r.PS.Dispose()
        }
    }
    return $failed
}

function Get-AvFileHash {
    param([string]$Path, [string]$Name, [string]$Stage)
    # Streams the file through SHA-256 with progress lines at most four times a second.
    $sha = [System.Security.Cryptography.SHA256]::Create()
    $fs = [System.IO.FileStream]::new($Path, [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read, [System.IO.FileShare]::Read, 1048576)
    try {
        $buffer = New-Object byte[] 1048576
        $done = [long]0
        $total = $fs.Length
        $emitted = [DateTime]::UtcNow
        while (($n = $fs.Read($buffer, 0, $buffer.Length)) -gt 0) {
            [void]$sha.TransformBlock($buffer, 0, $n, $null, 0)
            $done += $n
            if (([DateTime]::UtcNow - $emitted).TotalMilliseconds -ge 250) {
                $emitted = [DateTime]::UtcNow
                Write-AvProgress $Stage ([ordered]@{ file = $Name; bytes = $done; total = $total })
                Assert-AvTime
            }
        }
        [void]$sha.TransformFinalBlock((New-Object byte[] 0), 0, 0)
        return @{ Size = $done; Sha256 = [System.BitConverter]::ToString($sha.Hash).Replace('-', '').ToLowerInvariant() }
    }
    finally { $fs.Dispose(); $sha.Dispose() }
}

function Get-AvFailureCode {
    param($Job, [string]$Fallback)
    if ($Job.Code -eq 'timeout' -or $Job.Code -eq 'disk-write-failed' -or $Job.Code -eq 'hash-mismatch' -or $Job.Code -eq 'internal') { return $Job.Code }
    return $Fallback
}

# ---- steps 5-6: verify and activate ----

function Invoke-AvActivation {
    param([string]$Staging, [object[]]$Download, [object[]]$Entries)
    $names = New-Object 'System.Collections.Generic.HashSet[string]' -ArgumentList ([StringComparer]::OrdinalIgnoreCase)
    foreach ($e in $Entries) { [void]$names.Add($e.Name) }
    [void]$names.Add('manifest.json')
    $removes = New-Object System.Collections.Generic.List[string]
    foreach ($path in [System.IO.Directory]::GetFiles($Av.InstallDir)) {
        $name = [System.IO.Path]::GetFileName($path)
        if ($names.Contains($name) -or $name.StartsWith('.aetherv.lock', [StringComparison]::OrdinalIgnoreCase)) { continue }
        $removes.Add($name)
    }
    # Ordinary files first, then manifest.json, then the version file last.
    $moves = New-Object System.Collections.Generic.List[object]
    $versionMove = $null
    foreach ($e in $Download) {
        $m = [ordered]@{ name = $e.Name; source = 'new/' + $e.Name; hadLive = [System.IO.File]::Exists([System.IO.Path]::Combine($Av.InstallDir, $e.Name)) }
        if ($e.Name -ieq 'version') { $versionMove = $m } else { $moves.Add($m) }
    }
    $moves.Add([ordered]@{ name = 'manifest.json'; source = 'manifest.json'; hadLive = [System.IO.File]::Exists([System.IO.Path]::Combine($Av.InstallDir, 'manifest.json')) })
    if ($null -ne $versionMove) { $moves.Add($versionMove) }
    $journal = [ordered]@{ schema = 1; moves = $moves.ToArray(); removes = $removes.ToArray() }
    Write-AvFileBytes ([System.IO.Path]::Combine($Staging, 'journal.json')) ([System.Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -InputObject $journal -Depth 5 -Compress))) ([System.IO.FileMode]::CreateNew)

    if (-not (Test-AvLockOwned)) {
        throw (New-AvFailure 'lock-lost' 'Another console took the deploy lock while files were downloading (lock.expirySeconds too short?): nothing was changed; deploy again')
    }
    Write-AvProgress 'activate' ([ordered]@{ replace = $moves.Count; remove = $removes.Count })
    $old = [System.IO.Path]::Combine($Staging, 'old')
    try {
        foreach ($m in $moves) {
            $live = [System.IO.Path]::Combine($Av.InstallDir, $m.name)
            if ($m.hadLive) { [System.IO.File]::Move($live, [System.IO.Path]::Combine($old, $m.name)) }
            $source = [System.IO.Path]::Combine($Staging, $m.source.Replace('/', [System.IO.Path]::DirectorySeparatorChar))
            [System.IO.File]::Move($source, $live)
            if ($m.name -ieq 'manifest.json') {
                foreach ($name in $removes) { [System.IO.File]::Move([System.IO.Path]::Combine($Av.InstallDir, $name), [System.IO.Path]::Combine($old, $name)) }
            }
        }
        Write-AvFileBytes ([System.IO.Path]::Combine($Staging, 'committed')) (New-Object byte[] 0) ([System.IO.FileMode]::CreateNew)
    }
    catch {
        $why = Get-AvErrorMessage $_.Exception
        try { Undo-AvActivation $Staging (ConvertFrom-AvJson (ConvertTo-Json -InputObject $journal -Depth 5 -Compress)) }
        catch {
            $Av.KeepStaging = $true
            throw (New-AvFailure 'activation-failed' ("Activating the new files failed ($why) and rolling back failed too (" + (Get-AvErrorMessage $_.Exception) + "). The journal in $Staging lets the next deploy finish the rollback: close programs using files in the install directory and deploy again."))
        }
        throw (New-AvFailure 'activation-failed' "Activating the new files failed ($why); the previous files and version were restored. Close programs using files in the install directory (or detach ISOs from VMs) and deploy again.")
    }
    return , $removes.ToArray()
}

function Invoke-AvDeploy {
    Read-AvParameters
    Assert-AvTime
    $dir = $Av.InstallDir
    if (-not [System.IO.Directory]::Exists($dir)) {
        try { [void][System.IO.Directory]::CreateDirectory($dir); $Av.CreatedDir = $true }
        catch { throw (New-AvFailure 'install-dir' ("Cannot create the install directory ${dir}: " + (Get-AvErrorMessage $_.Exception) + '. Check the path and the account''s rights.')) }
    }
    try { $taken = Enter-AvLock }
    catch {
        $code = $_.Exception.Data['AvCode']
        if ($null -ne $code) { throw }
        throw (New-AvFailure 'lock-failed' ("Cannot create the deploy lock in ${dir}: " + (Get-AvErrorMessage $_.Exception) + '. Check that the account may write there.'))
    }
    if (-not $taken) {
        $Av.Result.outcome = 'locked'
        $Av.Result.code = 'locked'
        $Av.Result.error = "Another console is deploying to this host ($($Av.Result.lockOwner), lock expires $($Av.Result.lockExpiresUtc)): wait for it to finish or for the lock to expire."
        return
    }
    Restore-AvInterrupted

    # Step 2.
    $state = Get-AvDeployedState
    $Av.Result.previousVersion = $state.VersionText
    $Av.Result.previousDigest = $state.Digest
    if (-not $Av.Force -and $state.Digest -eq $Av.ExpectedDigest -and $state.VersionText -ceq $Av.ExpectedVersion -and (Test-AvLiveSetComplete $state.Manifest)) {
        $Av.Result.outcome = 'current'
        return
    }

    # Step 3.
    $staging = $null
    for ($i = 0; $null -eq $staging; $i++) {
        $candidate = [System.IO.Path]::Combine($dir, '.staging-' + [Guid]::NewGuid().ToString('N').Substring(0, 16))
        if (-not [System.IO.Directory]::Exists($candidate)) { $staging = $candidate }
    }
    try {
        [void][System.IO.Directory]::CreateDirectory($staging)
        $Av.Staging = $staging
        [void][System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($staging, 'new'))
        [void][System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($staging, 'old'))
    }
    catch { throw (New-AvFailure 'disk-write-failed' ("Cannot create the staging folder ${staging}: " + (Get-AvErrorMessage $_.Exception) + '. Check free space and rights.')) }
    $manifestPath = [System.IO.Path]::Combine($staging, 'manifest.json')
    $job = New-AvDownloadJob 'manifest.json' 'manifest.json' $manifestPath -1 $null 16777216
    $failed = Invoke-AvDownloads @($job) 'manifest'
    if ($null -ne $failed) {
        throw (New-AvFailure (Get-AvFailureCode $failed 'manifest-unreachable') "Fetching $($job.Url) failed after $($failed.Attempt) of $($Av.MaxAttempts) attempts: $($failed.Error). Check that the host reaches the console (firewall, proxy, DNS) at this exact URL.")
    }
    $manifest = Read-AvManifestText (ConvertFrom-AvTextBytes ([System.IO.File]::ReadAllBytes($manifestPath)))
    if ($null -eq $manifest.Digest) {
        throw (New-AvFailure 'manifest-invalid' "The manifest served at $($Av.BaseUrl) is unreadable: $($manifest.Error). Check the URL and republish the bundle.")
    }
    if ($manifest.Digest -ne $Av.ExpectedDigest) {
        throw (New-AvFailure 'manifest-mismatch' "The server at $($Av.BaseUrl) serves a different bundle (manifest digest $($manifest.Digest), expected $($Av.ExpectedDigest)): check that AGENT_DOWNLOAD_BASE_URL points at this console and that the bundle was not republished mid-rollout.")
    }
    if (-not $manifest.Valid) {
        throw (New-AvFailure 'manifest-invalid' "The manifest served at $($Av.BaseUrl) is not trustworthy: $($manifest.Error). Republish the bundle.")
    }
    if (@($manifest.Entries | Where-Object { $_.Name -ieq 'version' }).Count -ne 1) {
        throw (New-AvFailure 'manifest-invalid' 'The served manifest has no version entry: republish the bundle with its version file.')
    }

    # Step 4: reuse live files that already match, download the rest.
    $download = New-Object System.Collections.Generic.List[object]
    $reused = New-Object System.Collections.Generic.List[string]
    foreach ($e in $manifest.Entries) {
        $live = [System.IO.Path]::Combine($dir, $e.Name)
        if ([System.IO.Directory]::Exists($live)) {
            throw (New-AvFailure 'install-dir' "A folder named $($e.Name) is in the install directory where the bundle needs a file: move it away and deploy again.")
        }
        $info = New-Object System.IO.FileInfo -ArgumentList $live
        if ($info.Exists -and $info.Length -eq $e.Size) {
            $h = Get-AvFileHash $live $e.Name 'hash'
            if ($h.Sha256 -eq $e.Sha256) { $reused.Add($e.Name); continue }
        }
        $download.Add($e)
    }
    $total = [long]0
    foreach ($e in $download) { $total += $e.Size }
    Write-AvProgress 'plan' ([ordered]@{ download = @($download | ForEach-Object { $_.Name }); reuse = $reused.ToArray(); bytes = $total })
    Assert-AvTime
    $jobs = New-Object System.Collections.Generic.List[object]
    foreach ($e in $download) {
        $jobs.Add((New-AvDownloadJob $e.Name ([Uri]::EscapeDataString($e.Name)) ([System.IO.Path]::Combine($staging, 'new', $e.Name)) $e.Size $e.Sha256 $e.Size))
    }
    if ($jobs.Count -gt 0) {
        $failed = Invoke-AvDownloads $jobs.ToArray() 'download'
        if ($null -ne $failed) {
            $code = Get-AvFailureCode $failed 'download-failed'
            $hint = 'Check that the host reaches the console and that the bundle was not changed mid-rollout.'
            if ($code -eq 'disk-write-failed') { $hint = 'Check free space and write rights in the install directory.' }
            throw (New-AvFailure $code "Downloading $($failed.Name) failed after $($failed.Attempt) of $($Av.MaxAttempts) attempts: $($failed.Error). $hint")
        }
    }

    # Step 5: verify what is on disk, not what went through the socket.
    foreach ($e in $download) {
        $h = Get-AvFileHash ([System.IO.Path]::Combine($staging, 'new', $e.Name)) $e.Name 'verify'
        if ($h.Size -ne $e.Size -or $h.Sha256 -ne $e.Sha256) {
            throw (New-AvFailure 'hash-mismatch' "The staged copy of $($e.Name) has $($h.Size) bytes and SHA-256 $($h.Sha256), the manifest says $($e.Size) and $($e.Sha256): check the disk and deploy again.")
        }
    }
    Assert-AvTime

    # Step 6.
    $removed = Invoke-AvActivation $staging $download.ToArray() $manifest.Entries
    $Av.Result.outcome = 'deployed'
    $Av.Result.downloaded = @($download | ForEach-Object { $_.Name })
    $Av.Result.reused = $reused.ToArray()
    $Av.Result.removed = $removed
    $Av.Result.bytes = $total
}

$computer = $env:COMPUTERNAME
if ([string]::IsNullOrEmpty($computer)) { $computer = [Environment]::MachineName }
$Av.Result = [ordered]@{
    event = 'result'; outcome = 'failed'; version = $null; digest = $null
    downloaded = @(); reused = @(); removed = @(); bytes = [long]0; error = $null; code = $null
    lockOwner = $null; lockExpiresUtc = $null; lockTakenOverFrom = $null
    previousVersion = $null; previousDigest = $null; installDirectory = $null
    computerName = [string]$computer; durationMs = 0
}
$Av.LockPath = $null
$Av.Pool = $null
$Av.Staging = $null
$Av.KeepStaging = $false
$Av.CreatedDir = $false
try {
    $null = Invoke-AvDeploy
}
catch {
    $code = $_.Exception.Data['AvCode']
    $message = Get-AvErrorMessage $_.Exception
    if ($null -eq $code) {
        $code = 'internal'
        $message = "Deployment failed unexpectedly: $message (line $($_.InvocationInfo.ScriptLineNumber)). Nothing live was changed; deploy again or report this message."
    }
    $Av.Result.outcome = 'failed'
    $Av.Result.code = [string]$code
    $Av.Result.error = $message
}
finally {
    if ($null -ne $Av.Staging -and -not $Av.KeepStaging) {
        try { Remove-AvTree $Av.Staging }
        catch {
            try { Write-AvProgress 'cleanup' ([ordered]@{ message = 'could not remove the staging folder; the next deploy removes it: ' + (Get-AvErrorMessage $_.Exception) }) } catch { $null = $_ }
        }
    }
    if ($null -ne $Av.Pool) { try { $Av.Pool.Dispose() } catch { $null = $_ } }
    try { Exit-AvLock } catch { $null = $_ }
    if ($Av.CreatedDir -and $Av.Result.outcome -eq 'failed') {
        # Leave the host as found: drop the install directory this run created if it is still empty.
        try { if (@([System.IO.Directory]::GetFileSystemEntries($Av.InstallDir)).Count -eq 0) { [System.IO.Directory]::Delete($Av.InstallDir) } } catch { $null = $_ }
    }
}
try {
    if ($null -ne $Av.InstallDir -and [System.IO.Directory]::Exists($Av.InstallDir)) {
        $final = Get-AvDeployedState
        $Av.Result.version = $final.VersionText
        $Av.Result.digest = $final.Digest
    }
}
catch { $null = $_ }
$Av.Result.durationMs = [long]([DateTime]::UtcNow - $Av.Started).TotalMilliseconds
Write-AvLine $Av.Result
