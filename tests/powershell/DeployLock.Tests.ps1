# Deploy-AgentBundle.ps1: the host-side lock and the roll-back of an interrupted activation.
BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'AvTestSupport.psm1')) -Force
    $v1 = New-AvBundle '1.3.0' @{ 'Setup.ps1' = "Write-Output 'setup 1.3.0'`n"; 'windows.iso' = (New-AvContent 31 (1MB)) }
    $v2 = New-AvBundle '1.4.0' @{ 'Setup.ps1' = "Write-Output 'setup 1.4.0'`n"; 'windows.iso' = (New-AvContent 32 (1MB)) }
    $s1 = Start-AvServer $v1
    $s2 = Start-AvServer $v2

    function New-SeededHost {
        $dir = [System.IO.Path]::Combine((New-AvTempDir), 'Aether-V')
        $r = Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $s1.Url $v1)
        if ($r.Result.outcome -ne 'deployed') { throw "seeding failed: $($r.Result.error)" }
        return $dir
    }

    function Write-Lock {
        param([string]$Dir, [string]$Owner, [DateTime]$ExpiresUtc)
        $doc = [ordered]@{ owner = $Owner; expiresUtc = $ExpiresUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [Globalization.CultureInfo]::InvariantCulture); token = 'other-run' }
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($Dir, '.aetherv.lock'), (ConvertTo-Json -InputObject $doc -Compress))
    }
}
AfterAll { Stop-AvProcesses; Remove-AvTempDirs }

Describe 'Deploy-AgentBundle lock' {
    It 'refuses with outcome locked while another console holds a live lock, touching nothing' {
        $dir = New-SeededHost
        Write-Lock $dir 'aetherv-console bob@WS02 pid 77 run other' ([DateTime]::UtcNow.AddMinutes(20))
        $before = Get-AvTreeText $dir
        $r = Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $s2.Url $v2)
        $r.ExitCode | Should -Be 0
        $r.Result.outcome | Should -Be 'locked'
        $r.Result.lockOwner | Should -Be 'aetherv-console bob@WS02 pid 77 run other'
        $r.Result.lockExpiresUtc | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$'
        $r.Result.error | Should -BeLike '*bob@WS02*'
        Get-AvTreeText $dir | Should -Be $before
    }

    It 'treats a fresh lock file it cannot read as held' {
        $dir = New-SeededHost
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($dir, '.aetherv.lock'), '')
        $before = Get-AvTreeText $dir
        $r = Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $s2.Url $v2)
        $r.Result.outcome | Should -Be 'locked'
        Get-AvTreeText $dir | Should -Be $before
    }

    It 'takes over an expired lock, says so, and releases it at the end' {
        $dir = New-SeededHost
        Write-Lock $dir 'aetherv-console carol@WS03 pid 9 run crashed' ([DateTime]::UtcNow.AddMinutes(-5))
        $r = Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $s2.Url $v2)
        $r.Result.outcome | Should -Be 'deployed' -Because $r.Result.error
        $r.Result.lockTakenOverFrom | Should -Be 'aetherv-console carol@WS03 pid 9 run crashed'
        $takeover = @($r.Progress | Where-Object { $_.stage -eq 'lock' -and $_.PSObject.Properties['takeover'] })
        $takeover.Count | Should -Be 1
        $takeover[0].previousOwner | Should -Be 'aetherv-console carol@WS03 pid 9 run crashed'
        [System.IO.File]::Exists([System.IO.Path]::Combine($dir, '.aetherv.lock')) | Should -BeFalse
        Assert-AvInstalled $dir $v2
    }

    It 'releases its lock after a failed deployment' {
        $dir = New-SeededHost
        $p = New-AvDeployParameters $dir "http://127.0.0.1:$(Get-AvFreePort)/agent" $v2
        $p.maxAttempts = 1
        $r = Invoke-AvScript Deploy-AgentBundle $p
        $r.Result.outcome | Should -Be 'failed'
        [System.IO.File]::Exists([System.IO.Path]::Combine($dir, '.aetherv.lock')) | Should -BeFalse
    }

    It 'rolls back an activation that was interrupted half way before doing anything else' {
        $dir = New-SeededHost
        $before = Get-AvTreeText $dir -IgnoreTimes
        $oldSetup = [System.IO.File]::ReadAllBytes([System.IO.Path]::Combine($dir, 'Setup.ps1'))
        # What a run killed after swapping Setup.ps1 leaves behind: the old file aside, the new one live.
        $staging = [System.IO.Path]::Combine($dir, '.staging-0123456789abcdef')
        [void][System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($staging, 'old'))
        [void][System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($staging, 'new'))
        [System.IO.File]::Move([System.IO.Path]::Combine($dir, 'Setup.ps1'), [System.IO.Path]::Combine($staging, 'old', 'Setup.ps1'))
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($dir, 'Setup.ps1'), "Write-Output 'setup 1.4.0'`n")
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($dir, 'linux.iso'), 'new file of the interrupted run')
        $journal = '{"schema":1,"moves":[{"name":"Setup.ps1","source":"new/Setup.ps1","hadLive":true},{"name":"linux.iso","source":"new/linux.iso","hadLive":false},{"name":"manifest.json","source":"manifest.json","hadLive":true},{"name":"version","source":"new/version","hadLive":true}],"removes":[]}'
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($staging, 'journal.json'), $journal)

        $state = Invoke-AvScript Read-AgentState @{ installDirectory = $dir }
        $state.Result.pendingRecovery | Should -BeTrue

        $r = Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $s1.Url $v1)
        $r.Result.outcome | Should -Be 'current' -Because $r.Result.error
        @($r.Progress | Where-Object { $_.stage -eq 'recover' }).Count | Should -Be 1
        [System.IO.File]::ReadAllBytes([System.IO.Path]::Combine($dir, 'Setup.ps1')) | Should -Be $oldSetup
        [System.IO.Directory]::Exists($staging) | Should -BeFalse
        Get-AvTreeText $dir -IgnoreTimes | Should -Be $before
    }
}
