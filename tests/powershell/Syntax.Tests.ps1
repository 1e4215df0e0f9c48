# The remote scripts must parse and run under Windows PowerShell 5.1 as well as PowerShell 7:
# checked on the PowerShell AST and token stream, plus the contract's fixed preamble.
BeforeDiscovery {
    $scripts = @(Get-ChildItem -LiteralPath ([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'resources', 'powershell')) -Filter '*.ps1' |
            ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } })
}
BeforeAll {
    function Read-Script {
        param([string]$Path)
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
        return @{ Ast = $ast; Tokens = $tokens; Errors = $errors; Text = [System.IO.File]::ReadAllText($Path) }
    }
    # Token kinds that only PowerShell 6+/7 knows.
    $ps7Tokens = @('QuestionQuestion', 'QuestionQuestionEquals', 'QuestionDot', 'QuestionLBracket', 'AndAnd', 'OrOr', 'QuestionMark')
    # .NET members missing from .NET Framework 4.5 (what Windows PowerShell 5.1 may run on).
    $ps7Apis = @('GetRelativePath', 'ToHexString', 'HashData', 'Path]::Join', 'Random]::Shared', 'ReadAllTextAsync',
        'WriteAllTextAsync', 'ReadAllBytesAsync', 'Path]::Exists', 'EnumerationOptions', 'CreateTempSubdirectory', 'ReadExactly',
        'Path]::TrimEndingDirectorySeparator', 'Path]::EndsInDirectorySeparator', 'RandomNumberGenerator]::GetBytes', 'ReplaceLineEndings')
}

Describe '<Name>' -ForEach $scripts {
    BeforeAll { $s = Read-Script $Path }

    It 'parses without errors' {
        @($s.Errors).Count | Should -Be 0
    }

    It 'uses no PowerShell 7-only operators (??, ?., ?[, ternary, &&, ||)' {
        $bad = @($s.Tokens | Where-Object { $ps7Tokens -contains $_.Kind.ToString() } | ForEach-Object { "$($_.Text) at line $($_.Extent.StartLineNumber)" })
        $bad -join '; ' | Should -BeNullOrEmpty
        @($s.Ast.FindAll({ param($n) $n.GetType().Name -in @('TernaryExpressionAst', 'PipelineChainAst') }, $true)).Count | Should -Be 0
    }

    It 'uses no ForEach-Object -Parallel, no Invoke-Expression, nothing that writes to the host' {
        $commands = @($s.Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true))
        foreach ($c in $commands) {
            $name = $c.GetCommandName()
            $name | Should -Not -BeIn @('Invoke-Expression', 'iex', 'Write-Host', 'Write-Warning', 'Write-Information', 'Write-Output', 'echo', 'Out-Host', 'Start-Job', 'Start-ThreadJob')
            foreach ($e in $c.CommandElements) {
                if ($e -is [System.Management.Automation.Language.CommandParameterAst]) {
                    $e.ParameterName | Should -Not -Be 'Parallel'
                    # Cmdlets that take paths must take them literally.
                    $e.ParameterName | Should -Not -Be 'Path' -Because "$name at line $($c.Extent.StartLineNumber) must use -LiteralPath"
                }
            }
            if ($name -eq 'Invoke-WebRequest') { ($c.CommandElements | ForEach-Object { $_.Extent.Text }) | Should -Contain '-UseBasicParsing' }
        }
    }

    It 'calls no .NET API that .NET Framework 4.5 lacks' {
        foreach ($api in $ps7Apis) { $s.Text.Contains($api) | Should -BeFalse -Because "$api is missing from .NET Framework 4.5" }
        # File.Move(src, dst, overwrite) is .NET Core 3+ only: every Move takes exactly two arguments.
        $moves = @($s.Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.InvokeMemberExpressionAst] -and $n.Member.Extent.Text -eq 'Move' }, $true))
        foreach ($m in $moves) { @($m.Arguments).Count | Should -Be 2 -Because $m.Extent.Text }
    }

    It 'starts with the contract preamble' {
        $param = $s.Ast.ParamBlock
        $param | Should -Not -BeNullOrEmpty
        @($param.Attributes | ForEach-Object { $_.TypeName.Name }) | Should -Contain 'CmdletBinding'
        @($param.Parameters).Count | Should -Be 1
        $param.Parameters[0].Name.VariablePath.UserPath | Should -Be 'ParametersJson'
        $param.Parameters[0].StaticType | Should -Be ([string])
        $mandatory = @($param.Parameters[0].Attributes | Where-Object { $_.TypeName.Name -eq 'Parameter' } | ForEach-Object { $_.NamedArguments } |
                Where-Object { $_.ArgumentName -eq 'Mandatory' -and $_.Argument.Extent.Text -eq '$true' })
        $mandatory.Count | Should -Be 1
        $s.Text | Should -Match "(?m)^Set-StrictMode -Version 3\.0\r?$"
        $s.Text | Should -Match "(?m)^\`$ErrorActionPreference = 'Stop'\r?$"
        $s.Text | Should -Match "(?m)^\`$ProgressPreference = 'SilentlyContinue'\r?$"
        if ($s.Text -match 'WebRequest|HttpClient') {
            $s.Text | Should -Match ([regex]::Escape('[Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12'))
        }
    }
}

Describe 'Shared helpers' {
    It 'are identical in every script that carries them' {
        $bodies = @{}
        $scripts = @(Get-ChildItem -LiteralPath ([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'resources', 'powershell')) -Filter '*.ps1' |
                ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } })
        $scripts.Count | Should -Be 3
        foreach ($sc in $scripts) {
            $ast = (Read-Script $sc.Path).Ast
            foreach ($f in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $false)) {
                if (-not $bodies.ContainsKey($f.Name)) { $bodies[$f.Name] = @{} }
                $bodies[$f.Name][$sc.Name] = $f.Extent.Text
            }
        }
        $shared = @($bodies.Keys | Where-Object { $bodies[$_].Count -gt 1 })
        $shared.Count | Should -BeGreaterThan 5
        foreach ($name in $shared) {
            @($bodies[$name].Values | Sort-Object -Unique).Count | Should -Be 1 -Because "$name differs between $($bodies[$name].Keys -join ', ')"
        }
    }
}
