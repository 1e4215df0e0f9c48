# Every remote script writes only JSON lines to stdout (ASCII, non-ASCII escaped), exactly one
# {"event":"result"} and that one last, and exits 0 whenever it wrote the result.
BeforeDiscovery {
    $cases = @(
        @{ Script = 'Read-AgentState'; Kind = 'valid' }, @{ Script = 'Read-AgentState'; Kind = 'bad json' }, @{ Script = 'Read-AgentState'; Kind = 'relative path' }
        @{ Script = 'Test-AgentInstall'; Kind = 'valid' }, @{ Script = 'Test-AgentInstall'; Kind = 'bad json' }, @{ Script = 'Test-AgentInstall'; Kind = 'relative path' }
        @{ Script = 'Deploy-AgentBundle'; Kind = 'valid' }, @{ Script = 'Deploy-AgentBundle'; Kind = 'bad json' }, @{ Script = 'Deploy-AgentBundle'; Kind = 'relative path' }
        @{ Script = 'Deploy-AgentBundle'; Kind = 'bad digest' }
    )
}
BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'AvTestSupport.psm1')) -Force
    $bundle = New-AvBundle '1.0.0' @{ 'Setup.ps1' = "# setup`n"; 'Ünïcødé.iso' = (New-AvContent 71 (1MB)) }
    $server = Start-AvServer $bundle

    function Get-Run {
        param([string]$Script, [string]$Kind)
        $dir = [System.IO.Path]::Combine((New-AvTempDir), 'Ünïcødé "dir"')
        $p = [ordered]@{ installDirectory = $dir }
        if ($Script -eq 'Deploy-AgentBundle') { $p = New-AvDeployParameters $dir $server.Url $bundle }
        switch ($Kind) {
            'bad json' { return Invoke-AvScript $Script -RawJson '{"installDirectory": ' }
            'relative path' { $p.installDirectory = 'relative\Aether-V' }
            'bad digest' { $p.expectedDigest = 'not-hex' }
        }
        return Invoke-AvScript $Script $p
    }
}
AfterAll { Stop-AvProcesses; Remove-AvTempDirs }

Describe '<Script> output with <Kind> parameters' -ForEach $cases {
    BeforeAll { $run = Get-Run $Script $Kind }

    It 'exits 0 and writes only ASCII JSON lines' {
        $run.ExitCode | Should -Be 0
        $run.Stdout | Should -Match '\A[\x00-\x7f]*\z'
        @($run.Lines).Count | Should -BeGreaterThan 0
        foreach ($line in $run.Lines) {
            $line | Should -Match '^\{"event":"(progress|result)",'
            { $line | ConvertFrom-Json } | Should -Not -Throw
        }
    }

    It 'writes exactly one result, last' {
        @($run.Objects | Where-Object { $_.event -eq 'result' }).Count | Should -Be 1
        $run.Objects[-1].event | Should -Be 'result'
    }

    It 'reports the outcome the parameters call for' {
        if ($Kind -eq 'valid') {
            $run.Result.outcome | Should -BeIn @('ok', 'deployed')
            $run.Result.error | Should -BeNullOrEmpty
            $run.Stdout | Should -BeLike '*\u00dcn\u00efc\u00f8d\u00e9*'
        }
        else {
            $run.Result.outcome | Should -Be 'failed'
            $run.Result.code | Should -Be 'bad-parameters'
            $run.Result.error | Should -Not -BeNullOrEmpty
        }
    }
}
