# Test-AgentInstall.ps1: the listing behind the CLI's `smoke HOST`.
BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'AvTestSupport.psm1')) -Force
    $bundle = New-AvBundle '1.9.0' @{ 'Setup.ps1' = "Write-Output 'setup'`n"; 'Helpers.ps1' = "# helpers`n"; 'windows.iso' = (New-AvContent 61 (2MB)) }
    $server = Start-AvServer $bundle
}
AfterAll { Stop-AvProcesses; Remove-AvTempDirs }

Describe 'Test-AgentInstall' {
    It 'lists every file with size and SHA-256, the version and the manifest digest' {
        $dir = [System.IO.Path]::Combine((New-AvTempDir), 'Aether-V')
        (Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $server.Url $bundle)).Result.outcome | Should -Be 'deployed'
        $r = Invoke-AvScript Test-AgentInstall @{ installDirectory = $dir }
        $r.ExitCode | Should -Be 0
        $r.Result.outcome | Should -Be 'ok'
        $r.Result.exists | Should -BeTrue
        $r.Result.version | Should -Be '1.9.0'
        $r.Result.manifestDigest | Should -Be $server.Digest
        $r.Result.healthy | Should -BeTrue
        @($r.Result.files | ForEach-Object { $_.name }) -join ',' | Should -Be 'Helpers.ps1,Setup.ps1,manifest.json,version,windows.iso'
        foreach ($f in $r.Result.files) {
            $path = [System.IO.Path]::Combine($dir, $f.name)
            $f.size | Should -Be (Get-Item -LiteralPath $path).Length
            $f.sha256 | Should -Be (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash.ToLowerInvariant()
        }
    }

    It 'names missing, damaged and extra files' {
        $dir = [System.IO.Path]::Combine((New-AvTempDir), 'Aether-V')
        (Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $server.Url $bundle)).Result.outcome | Should -Be 'deployed'
        [System.IO.File]::Delete([System.IO.Path]::Combine($dir, 'Helpers.ps1'))
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($dir, 'Setup.ps1'), "Write-Output 'tampered'`n")
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($dir, 'notes.txt'), 'operator notes')
        $r = Invoke-AvScript Test-AgentInstall @{ installDirectory = $dir }
        $r.Result.healthy | Should -BeFalse
        @($r.Result.missing) -join ',' | Should -Be 'Helpers.ps1'
        @($r.Result.mismatched) -join ',' | Should -Be 'Setup.ps1'
        @($r.Result.extra) -join ',' | Should -Be 'notes.txt'
    }

    It 'reports a missing install directory' {
        $r = Invoke-AvScript Test-AgentInstall @{ installDirectory = [System.IO.Path]::Combine((New-AvTempDir), 'absent') }
        $r.Result.outcome | Should -Be 'ok'
        $r.Result.exists | Should -BeFalse
        @($r.Result.files).Count | Should -Be 0
        $r.Result.manifestDigest | Should -BeNullOrEmpty
    }
}
