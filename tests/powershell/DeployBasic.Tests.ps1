# Deploy-AgentBundle.ps1 against the real artifact server: fresh install, update, current, force.
BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'AvTestSupport.psm1')) -Force
    $helpers = "function Get-AvHelper { 'shared by 1.3.0 and 1.4.0' }`n"
    $windowsIso = New-AvContent 11 (3MB + 17)
    $v1 = New-AvBundle '1.3.0' @{ 'Setup.ps1' = "Write-Output 'setup 1.3.0'`n"; 'Helpers.ps1' = $helpers; 'windows.iso' = $windowsIso; 'Retired.ps1' = "# dropped in 1.4.0`n" }
    $v2 = New-AvBundle '1.4.0' @{ 'Setup.ps1' = "Write-Output 'setup 1.4.0'`n"; 'Helpers.ps1' = $helpers; 'windows.iso' = $windowsIso; 'linux.iso' = (New-AvContent 12 (2MB + 5)) }
    $s1 = Start-AvServer $v1
    $s2 = Start-AvServer $v2
}
AfterAll { Stop-AvProcesses; Remove-AvTempDirs }

Describe 'Deploy-AgentBundle' {
    It 'installs the whole bundle into a directory that does not exist yet' {
        $dir = [System.IO.Path]::Combine((New-AvTempDir), 'Aether-V')
        $r = Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $s1.Url $v1)
        $r.ExitCode | Should -Be 0
        $r.Result.outcome | Should -Be 'deployed' -Because $r.Result.error
        @($r.Result.downloaded | Sort-Object) -join ',' | Should -Be 'Helpers.ps1,Retired.ps1,Setup.ps1,version,windows.iso'
        @($r.Result.reused).Count | Should -Be 0
        $r.Result.version | Should -Be '1.3.0'
        $r.Result.digest | Should -Be $s1.Digest
        $r.Result.bytes | Should -Be ((Get-ChildItem -LiteralPath $v1 -File | Measure-Object -Property Length -Sum).Sum)
        Assert-AvInstalled $dir $v1
        # Progress: one completion line per file, byte counts never above the total.
        foreach ($name in $r.Result.downloaded) {
            @($r.Progress | Where-Object { $_.stage -eq 'download' -and $_.file -eq $name -and $_.PSObject.Properties['done'] }).Count | Should -Be 1
        }
        foreach ($p in @($r.Progress | Where-Object { $_.stage -eq 'download' })) { $p.bytes | Should -BeLessOrEqual $p.total }
    }

    It 'updates an outdated host: downloads only what changed, reuses the rest, removes what left the bundle' {
        $dir = [System.IO.Path]::Combine((New-AvTempDir), 'Aether-V')
        (Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $s1.Url $v1)).Result.outcome | Should -Be 'deployed'
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($dir, 'scriptsversion'), "1.2.0`r`n")
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($dir, 'isosversion'), "1.2.0`r`n")
        $before = Get-AvTree $dir
        $proxy = Start-AvProxy $s2.Url
        $r = Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $proxy.Url $v2)
        $r.Result.outcome | Should -Be 'deployed' -Because $r.Result.error
        @($r.Result.downloaded | Sort-Object) -join ',' | Should -Be 'linux.iso,Setup.ps1,version'
        @($r.Result.reused | Sort-Object) -join ',' | Should -Be 'Helpers.ps1,windows.iso'
        @($r.Result.removed | Sort-Object) -join ',' | Should -Be 'isosversion,Retired.ps1,scriptsversion'
        $r.Result.previousVersion | Should -Be '1.3.0'
        $r.Result.version | Should -Be '1.4.0'
        $r.Result.bytes | Should -Be ((Get-Item -LiteralPath ([System.IO.Path]::Combine($v2, 'linux.iso'))).Length + (Get-Item -LiteralPath ([System.IO.Path]::Combine($v2, 'Setup.ps1'))).Length + (Get-Item -LiteralPath ([System.IO.Path]::Combine($v2, 'version'))).Length)
        Assert-AvInstalled $dir $v2
        # Reused files were not rewritten, and the server saw requests for the changed files only.
        $after = Get-AvTree $dir
        $after['windows.iso'] | Should -Be $before['windows.iso']
        $after['Helpers.ps1'] | Should -Be $before['Helpers.ps1']
        @(Get-AvProxyRequests $proxy | ForEach-Object { $_.name } | Sort-Object) -join ',' | Should -Be 'linux.iso,manifest.json,Setup.ps1,version'
    }

    It 'reports current and touches nothing when the host already has the bundle' {
        $dir = [System.IO.Path]::Combine((New-AvTempDir), 'Aether-V')
        (Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $s2.Url $v2)).Result.outcome | Should -Be 'deployed'
        $before = Get-AvTreeText $dir
        $proxy = Start-AvProxy $s2.Url
        $r = Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $proxy.Url $v2)
        $r.Result.outcome | Should -Be 'current'
        $r.Result.version | Should -Be '1.4.0'
        $r.Result.digest | Should -Be $s2.Digest
        @($r.Result.downloaded).Count | Should -Be 0
        Get-AvTreeText $dir | Should -Be $before
        @(Get-AvProxyRequests $proxy).Count | Should -Be 0
    }

    It 'with force re-verifies every file and repairs only the damaged one' {
        $dir = [System.IO.Path]::Combine((New-AvTempDir), 'Aether-V')
        (Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $s2.Url $v2)).Result.outcome | Should -Be 'deployed'
        $iso = [System.IO.Path]::Combine($dir, 'linux.iso')
        $bytes = [System.IO.File]::ReadAllBytes($iso)
        $bytes[1000] = $bytes[1000] -bxor 0xFF
        [System.IO.File]::WriteAllBytes($iso, $bytes)
        # Same size, same version, same manifest: without force the host counts as current.
        (Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $s2.Url $v2)).Result.outcome | Should -Be 'current'
        $p = New-AvDeployParameters $dir $s2.Url $v2
        $p.force = $true
        $r = Invoke-AvScript Deploy-AgentBundle $p
        $r.Result.outcome | Should -Be 'deployed' -Because $r.Result.error
        @($r.Result.downloaded) -join ',' | Should -Be 'linux.iso'
        @($r.Result.reused | Sort-Object) -join ',' | Should -Be 'Helpers.ps1,Setup.ps1,version,windows.iso'
        Assert-AvInstalled $dir $v2
    }

    It 'redeploys when a file of a current-looking install is missing' {
        $dir = [System.IO.Path]::Combine((New-AvTempDir), 'Aether-V')
        (Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $s2.Url $v2)).Result.outcome | Should -Be 'deployed'
        [System.IO.File]::Delete([System.IO.Path]::Combine($dir, 'Setup.ps1'))
        $r = Invoke-AvScript Deploy-AgentBundle (New-AvDeployParameters $dir $s2.Url $v2)
        $r.Result.outcome | Should -Be 'deployed'
        @($r.Result.downloaded) -join ',' | Should -Be 'Setup.ps1'
        Assert-AvInstalled $dir $v2
    }

    It 'downloads one file at a time when parallelism is 1' {
        $dir = [System.IO.Path]::Combine((New-AvTempDir), 'Aether-V')
        $p = New-AvDeployParameters $dir $s2.Url $v2
        $p.parallelism = 1
        $r = Invoke-AvScript Deploy-AgentBundle $p
        $r.Result.outcome | Should -Be 'deployed' -Because $r.Result.error
        Assert-AvInstalled $dir $v2
    }
}
