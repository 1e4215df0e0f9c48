# Deploy-AgentBundle.ps1 under failure: every failure leaves the live set, the version file and the
# install directory's layout exactly as they were (no lock, no staging folder left behind).
BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'AvTestSupport.psm1')) -Force
    $v1 = New-AvBundle '1.3.0' @{ 'Setup.ps1' = "Write-Output 'setup 1.3.0'`n"; 'windows.iso' = (New-AvContent 21 (3MB)) }
    $v2 = New-AvBundle '1.4.0' @{ 'Setup.ps1' = "Write-Output 'setup 1.4.0'`n"; 'windows.iso' = (New-AvContent 22 (3MB)); 'linux.iso' = (New-AvContent 23 (2MB)) }
    $s1 = Start-AvServer $v1
    $s2 = Start-AvServer $v2

    function New-SeededHost {
        $dir = [System.IO.Path]::Combine((New-AvTempDir), 'Aether-V')
        $r = Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $s1.Url $v1)
        if ($r.Result.outcome -ne 'deployed') { throw "seeding failed: $($r.Result.error)" }
        return $dir
    }

    function Assert-Untouched {
        param([string]$Dir, [string]$Before, $Run)
        $Run.ExitCode | Should -Be 0
        Get-AvTreeText $Dir | Should -Be $Before
        $Run.Result.version | Should -Be '1.3.0'
        $Run.Result.digest | Should -Be $s1.Digest
        @($Run.Lines)[-1] | Should -BeLike '{"event":"result",*'
    }
}
AfterAll { Stop-AvProcesses; Remove-AvTempDirs }

Describe 'Deploy-AgentBundle failures' {
    It 'fails after maxAttempts when the server is not reachable, with every retry reported' {
        $dir = New-SeededHost
        $before = Get-AvTreeText $dir
        $p = New-AvDeployParameters $dir "http://127.0.0.1:$(Get-AvFreePort)/agent" $v2
        $p.maxAttempts = 3
        $r = Invoke-AvScript Deploy-AgentBundle $p
        $r.Result.outcome | Should -Be 'failed'
        $r.Result.code | Should -Be 'manifest-unreachable'
        $r.Result.error | Should -BeLike '*3 of 3 attempts*'
        $retries = @($r.Progress | Where-Object { $_.stage -eq 'retry' })
        @($retries | ForEach-Object { $_.attempt }) -join ',' | Should -Be '1,2'
        $retries[0].file | Should -Be 'manifest.json'
        $retries[0].code | Should -Be 'network'
        Assert-Untouched $dir $before $r
    }

    It 'rides out a server that answers 503 to the first requests' {
        $dir = New-SeededHost
        $proxy = Start-AvProxy $s2.Url -FailFirst 2
        $r = Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $proxy.Url $v2)
        $r.Result.outcome | Should -Be 'deployed' -Because $r.Result.error
        $retries = @($r.Progress | Where-Object { $_.stage -eq 'retry' })
        $retries.Count | Should -Be 2
        $retries[0].code | Should -Be 'http'
        $retries[0].error | Should -BeLike '*HTTP 503*'
        @(Get-AvProxyRequests $proxy | Where-Object { $_.status -eq 503 }).Count | Should -Be 2
        Assert-AvInstalled $dir $v2
    }

    It 'rejects a corrupted download with hash-mismatch and keeps the previous set and version' {
        $dir = New-SeededHost
        $before = Get-AvTreeText $dir
        $proxy = Start-AvProxy $s2.Url -Corrupt 'linux.iso'
        $p = New-AvDeployParameters $dir $proxy.Url $v2
        $p.maxAttempts = 2
        $r = Invoke-AvScript Deploy-AgentBundle $p
        $r.Result.outcome | Should -Be 'failed'
        $r.Result.code | Should -Be 'hash-mismatch'
        $r.Result.error | Should -BeLike '*linux.iso*'
        @($r.Progress | Where-Object { $_.stage -eq 'retry' -and $_.file -eq 'linux.iso' }).Count | Should -Be 1
        Assert-Untouched $dir $before $r
    }

    It 'stops before any download when the served manifest is not the expected bundle' {
        $dir = New-SeededHost
        $before = Get-AvTreeText $dir
        $proxy = Start-AvProxy $s2.Url
        $p = New-AvDeployParameters $dir $proxy.Url $v2
        $p.expectedDigest = 'ab' * 32
        $r = Invoke-AvScript Deploy-AgentBundle $p
        $r.Result.outcome | Should -Be 'failed'
        $r.Result.code | Should -Be 'manifest-mismatch'
        @(Get-AvProxyRequests $proxy | ForEach-Object { $_.name }) -join ',' | Should -Be 'manifest.json'
        @($r.Progress | Where-Object { $_.stage -eq 'download' }).Count | Should -Be 0
        Assert-Untouched $dir $before $r
    }

    It 'fails cleanly when the disk refuses to take the staged files' {
        $dir = New-SeededHost
        $before = Get-AvTreeText $dir
        # RLIMIT_FSIZE of 1 MiB: the lock and manifest fit, a 2-3 MiB staged ISO does not.
        $r = Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $s2.Url $v2) -FileSizeLimitKiB 1024
        $r.Result.outcome | Should -Be 'failed'
        $r.Result.code | Should -Be 'disk-write-failed'
        $r.Result.error | Should -BeLike '*.iso*'
        @($r.Progress | Where-Object { $_.stage -eq 'retry' }).Count | Should -Be 0
        Assert-Untouched $dir $before $r
    }

    It 'gives up at timeoutSeconds when a download stalls' {
        $dir = New-SeededHost
        $before = Get-AvTreeText $dir
        $proxy = Start-AvProxy $s2.Url -Hold 'windows.iso'
        $p = New-AvDeployParameters $dir $proxy.Url $v2
        $p.timeoutSeconds = 6
        $r = Invoke-AvScript Deploy-AgentBundle $p
        $r.Result.outcome | Should -Be 'failed'
        $r.Result.code | Should -Be 'timeout'
        $r.Result.durationMs | Should -BeLessThan 9500 -Because "timeoutSeconds is 6"
        Assert-Untouched $dir $before $r
    }

    It 'rejects a manifest whose digest does not match its entries' {
        $dir = New-SeededHost
        $before = Get-AvTreeText $dir
        # A bundle whose manifest is served by a static server that lies about one size.
        $m = Get-AvBundleManifest $v2
        $m.files[0].size = $m.files[0].size + 1
        $site = New-AvTempDir
        [void][System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($site, 'agent'))
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($site, 'agent', 'manifest.json'), (ConvertTo-Json -InputObject $m -Depth 5))
        $port = Get-AvFreePort
        $static = Start-AvProcess '/usr/bin/python3' @('-u', '-c', 'import http.server,sys,functools,os; h=functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[2]); s=http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), h); print("{\"event\":\"ready\",\"url\":\"x\"}", flush=True); s.serve_forever()', [string]$port, $site)
        $null = Read-AvReadyLine $static 'static server'
        $p = New-AvDeployParameters $dir "http://127.0.0.1:$port/agent" $v2
        $r = Invoke-AvScript Deploy-AgentBundle $p
        $r.Result.outcome | Should -Be 'failed'
        $r.Result.code | Should -Be 'manifest-invalid'
        $r.Result.error | Should -BeLike '*does not match its entries*'
        Assert-Untouched $dir $before $r
    }
}
