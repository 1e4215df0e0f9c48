# The remote scripts must parse and run under Windows PowerShell 5.1 as well as PowerShell 7:
# checked on the PowerShell AST and token stream, plus the contract's fixed preamble. The rules are
# applied to the ASSEMBLED scripts (the text the console ships: resources/powershell/<name>.ps1 with
# resources/powershell/include/AvRemoteCommon.ps1 spliced in at build time, see
# cmake/AssembleRemoteScript.cmake); the sources and the include are checked for their own shape.
BeforeDiscovery {
    $assembledDir = [Environment]::GetEnvironmentVariable('AETHERV_REMOTE_SCRIPTS_DIR')
    if ([string]::IsNullOrEmpty($assembledDir)) { throw 'AETHERV_REMOTE_SCRIPTS_DIR is not set: run these tests through ctest' }
    $scripts = @(Get-ChildItem -LiteralPath ([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'resources', 'powershell')) -Filter '*.ps1' |
            ForEach-Object { @{ Name = $_.Name; Path = [System.IO.Path]::Combine($assembledDir, $_.Name); Source = $_.FullName } })
}
BeforeAll {
    function Read-Script {
        param([string]$Path)
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
        return @{ Ast = $ast; Tokens = $tokens; Errors = $errors; Text = [System.IO.File]::ReadAllText($Path) }
    }
    $marker = '#AETHERV-INCLUDE'
    $includePath = [System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'resources', 'powershell', 'include', 'AvRemoteCommon.ps1')
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

Describe '<Name> as assembled' -ForEach $scripts {
    BeforeAll { $s = Read-Script $Path }

    It 'is its source with the include spliced in place of the marker line' {
        $include = [System.IO.File]::ReadAllText($includePath) -replace '\r?\n\z', ''
        $expected = [regex]::Replace([System.IO.File]::ReadAllText($Source), "(?m)^$marker AvRemoteCommon\.ps1(?=\r?$)", { param($m) $include })
        $s.Text | Should -BeExactly $expected -Because "$Path must be rebuilt from $Source (build aetherv_core)"
        $s.Text.Contains($marker) | Should -BeFalse
    }

    It 'defines every function once (a script must not redefine a shared helper)' {
        $names = @($s.Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true) | ForEach-Object { $_.Name })
        $names.Count | Should -BeGreaterThan 10
        @($names | Group-Object | Where-Object { $_.Count -gt 1 } | ForEach-Object { $_.Name }) -join ', ' | Should -BeNullOrEmpty
    }
}

Describe 'Source <Name>' -ForEach $scripts {
    It 'parses without errors' {
        @((Read-Script $Source).Errors).Count | Should -Be 0
    }

    It 'carries exactly one include marker line, for AvRemoteCommon.ps1, and no other marker text' {
        $text = [System.IO.File]::ReadAllText($Source)
        @([regex]::Matches($text, "(?m)^$marker AvRemoteCommon\.ps1\r?$")).Count | Should -Be 1
        @([regex]::Matches($text, [regex]::Escape($marker))).Count | Should -Be 1
    }
}

Describe 'Include AvRemoteCommon.ps1' -ForEach @(@{ All = $scripts }) {
    BeforeAll { $inc = Read-Script $includePath }

    It 'parses without errors' {
        @($inc.Errors).Count | Should -Be 0
    }

    It 'holds function definitions only, so nothing runs where it is spliced in' {
        $inc.Ast.ParamBlock | Should -BeNullOrEmpty
        $inc.Ast.BeginBlock | Should -BeNullOrEmpty
        $inc.Ast.ProcessBlock | Should -BeNullOrEmpty
        $statements = @($inc.Ast.EndBlock.Statements)
        $statements.Count | Should -BeGreaterThan 10
        foreach ($st in $statements) {
            $st | Should -BeOfType ([System.Management.Automation.Language.FunctionDefinitionAst]) -Because "line $($st.Extent.StartLineNumber) is not a function definition"
        }
    }

    It 'includes nothing itself' {
        $inc.Text.Contains($marker) | Should -BeFalse
    }

    It 'is spliced into every remote script' {
        # Every top-level remote script (three for deployment, one for provisioning, more later).
        $All.Count | Should -Be @(Get-ChildItem -LiteralPath ([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'resources', 'powershell')) -Filter '*.ps1' -File).Count
        $All.Count | Should -BeGreaterOrEqual 3
        foreach ($sc in $All) {
            $defined = @((Read-Script $sc.Path).Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true) | ForEach-Object { $_.Name })
            foreach ($st in $inc.Ast.EndBlock.Statements) { $defined | Should -Contain $st.Name -Because "$($sc.Name) must carry the shared helpers" }
        }
    }
}
