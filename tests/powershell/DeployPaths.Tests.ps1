# Install directories whose names look like code or need quoting are used literally: nothing in
# them is evaluated, and the bundle lands byte for byte.
BeforeDiscovery {
    $names = @('Program Files/Aether-V (Devel)', "x'y", '$(whoami)', 'a;b', 'Ünïcødé', 'br[a]ck*et', '`"q"` & $env:HOME')
}
BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'AvTestSupport.psm1')) -Force
    $bundle = New-AvBundle '2.0.0' @{ 'Setup.ps1' = "Write-Output 'setup'`n"; 'Ünïcødé tool.ps1' = "# non-Latin name`n"; 'windows.iso' = (New-AvContent 41 (1MB + 3)) }
    $server = Start-AvServer $bundle
    $me = [string](& whoami)
}
AfterAll { Stop-AvProcesses; Remove-AvTempDirs }

Describe 'Deploy-AgentBundle with install path <_>' -ForEach $names {
    It 'deploys into the literal path and runs nothing from it' {
        $parent = New-AvTempDir
        $cwd = New-AvTempDir
        $dir = [System.IO.Path]::Combine($parent, $_)
        $r = Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $server.Url $bundle) -WorkingDirectory $cwd
        $r.ExitCode | Should -Be 0
        $r.Result.outcome | Should -Be 'deployed' -Because $r.Result.error
        $r.Result.installDirectory | Should -Be $dir
        Assert-AvInstalled $dir $bundle
        # Only the install path itself appeared; no file named after `whoami` or anything else.
        @([System.IO.Directory]::GetFileSystemEntries($cwd)).Count | Should -Be 0
        [System.IO.Directory]::Exists([System.IO.Path]::Combine($parent, $me)) | Should -BeFalse
        [System.IO.File]::Exists([System.IO.Path]::Combine($parent, $me)) | Should -BeFalse
        $top = ($_ -split '/')[0]
        @([System.IO.Directory]::GetFileSystemEntries($parent) | ForEach-Object { [System.IO.Path]::GetFileName($_) }) -join '|' | Should -Be $top

        $state = Invoke-AvScript Read-AgentState @{ installDirectory = $dir }
        $state.Result.outcome | Should -Be 'ok'
        $state.Result.manifest.digest | Should -Be $server.Digest
        $check = Invoke-AvScript Test-AgentInstall @{ installDirectory = $dir }
        $check.Result.healthy | Should -BeTrue
        $check.Result.version | Should -Be '2.0.0'
    }
}

Describe 'Deploy-AgentBundle run the way the console runs it' {
    It 'works as & ([scriptblock]::Create($text)) -ParametersJson $json' {
        $dir = [System.IO.Path]::Combine((New-AvTempDir), '$(whoami) (x86)')
        $r = Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $server.Url $bundle) -ViaScriptBlock
        $r.ExitCode | Should -Be 0
        $r.Result.outcome | Should -Be 'deployed' -Because $r.Result.error
        @($r.Lines | Where-Object { $_ -notlike '{"event":*' }).Count | Should -Be 0
        Assert-AvInstalled $dir $bundle
        $again = Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $server.Url $bundle) -ViaScriptBlock
        $again.Result.outcome | Should -Be 'current'
    }
}
