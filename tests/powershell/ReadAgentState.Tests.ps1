# Read-AgentState.ps1: one read-only call that returns the raw version bytes, manifest digest,
# legacy files and lock.
BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'AvTestSupport.psm1')) -Force
    function Read-State { param([string]$Dir) (Invoke-AvScript Read-AgentState @{ installDirectory = $Dir }) }
    function Write-Bytes { param([string]$Dir, [string]$Name, [byte[]]$Bytes) [System.IO.File]::WriteAllBytes([System.IO.Path]::Combine($Dir, $Name), $Bytes) }
}
AfterAll { Stop-AvProcesses; Remove-AvTempDirs }

Describe 'Read-AgentState' {
    It 'reports a missing install directory without creating it' {
        $dir = [System.IO.Path]::Combine((New-AvTempDir), 'absent')
        $r = Read-State $dir
        $r.ExitCode | Should -Be 0
        $r.Result.outcome | Should -Be 'ok'
        $r.Result.installDirectoryExists | Should -BeFalse
        $r.Result.version.exists | Should -BeFalse
        $r.Result.manifest.exists | Should -BeFalse
        $r.Result.lock | Should -BeNullOrEmpty
        $r.Result.legacy.scriptsversion | Should -BeNullOrEmpty
        $r.Result.computerName | Should -Not -BeNullOrEmpty
        [System.IO.Directory]::Exists($dir) | Should -BeFalse
    }

    It 'returns the raw bytes of a UTF-16 version file with BOM intact' {
        $dir = New-AvTempDir
        $bytes = [byte[]](@(0xFF, 0xFE) + [System.Text.Encoding]::Unicode.GetBytes("2.5.000`r`n`0"))
        Write-Bytes $dir 'version' $bytes
        $before = Get-AvTreeText $dir
        $r = Read-State $dir
        $r.Result.outcome | Should -Be 'ok'
        $r.Result.installDirectoryExists | Should -BeTrue
        $r.Result.version.exists | Should -BeTrue
        $r.Result.version.size | Should -Be $bytes.Length
        [Convert]::FromBase64String($r.Result.version.base64) | Should -Be $bytes
        $r.Result.version.truncated | Should -BeFalse
        Get-AvTreeText $dir | Should -Be $before
    }

    It 'returns at most 64 KiB of an oversized version file and says so' {
        $dir = New-AvTempDir
        Write-Bytes $dir 'version' (New-AvContent 51 (70KB))
        $r = Read-State $dir
        $r.Result.version.size | Should -Be (70KB)
        [Convert]::FromBase64String($r.Result.version.base64).Length | Should -Be (64KB)
        $r.Result.version.truncated | Should -BeTrue
    }

    It 'reads the legacy scriptsversion and isosversion files' {
        $dir = New-AvTempDir
        Write-Bytes $dir 'scriptsversion' ([System.Text.Encoding]::UTF8.GetBytes("1.2.0`r`n"))
        Write-Bytes $dir 'isosversion' ([byte[]](@(0xFF, 0xFE) + [System.Text.Encoding]::Unicode.GetBytes("1.1.9`r`n")))
        $r = Read-State $dir
        $r.Result.legacy.scriptsversion | Should -Be '1.2.0'
        $r.Result.legacy.isosversion | Should -Be '1.1.9'
        $r.Result.version.exists | Should -BeFalse
    }

    It 'reports a live lock, an expired lock and an unreadable lock' {
        $dir = New-AvTempDir
        $lock = [System.IO.Path]::Combine($dir, '.aetherv.lock')
        [System.IO.File]::WriteAllText($lock, '{"owner":"aetherv-console bob@WS02 pid 7 run r1","expiresUtc":"2999-01-02T03:04:05Z","token":"t"}')
        $r = Read-State $dir
        $r.Result.lock.owner | Should -Be 'aetherv-console bob@WS02 pid 7 run r1'
        $r.Result.lock.expired | Should -BeFalse
        $r.Stdout | Should -BeLike '*"expiresUtc":"2999-01-02T03:04:05Z"*'
        [System.IO.File]::WriteAllText($lock, '{"owner":"old","expiresUtc":"2001-01-01T00:00:00Z"}')
        (Read-State $dir).Result.lock.expired | Should -BeTrue
        [System.IO.File]::WriteAllText($lock, 'not json')
        (Read-State $dir).Result.lock.unreadable | Should -BeTrue
        [System.IO.File]::ReadAllText($lock) | Should -Be 'not json'
    }

    It 'returns the deployed manifest digest and whether the manifest is self-consistent' {
        $bundle = New-AvBundle '3.1.0' @{ 'Setup.ps1' = "# setup`n" }
        $m = Get-AvBundleManifest $bundle
        $dir = New-AvTempDir
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($dir, 'manifest.json'), (& (Get-AvRequiredEnv 'AETHERV_DEPLOY_BIN') manifest --bundle $bundle | Out-String))
        $r = Read-State $dir
        $r.Result.manifest.exists | Should -BeTrue
        $r.Result.manifest.digest | Should -Be $m.digest
        $r.Result.manifest.valid | Should -BeTrue
        $m.files[0].sha256 = '0' * 64
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($dir, 'manifest.json'), (ConvertTo-Json -InputObject $m -Depth 5))
        $r = Read-State $dir
        $r.Result.manifest.digest | Should -Be $m.digest
        $r.Result.manifest.valid | Should -BeFalse
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($dir, 'manifest.json'), '{ broken')
        $r = Read-State $dir
        $r.Result.manifest.exists | Should -BeTrue
        $r.Result.manifest.digest | Should -BeNullOrEmpty
        $r.Result.manifest.valid | Should -BeFalse
    }
}
