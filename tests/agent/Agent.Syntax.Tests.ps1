# Every agent script parses, carries the required header, and uses nothing that Windows
# PowerShell 5.1 cannot run.
BeforeDiscovery {
    $repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    $script:Scripts = @(Get-ChildItem -Path (Join-Path $repo 'agent/scripts'), (Join-Path $repo 'agent/iso/windows') -Filter '*.ps1' |
            ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } })
    $script:EntryPoints = @($script:Scripts | Where-Object { $_.Name -notlike 'AetherV.Agent.*' })
}

BeforeAll {
    function Get-ParsedScript {
        param([string]$Path)
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
        [pscustomobject]@{ Ast = $ast; Tokens = $tokens; Errors = $errors }
    }
    function Find-Pwsh7OnlySyntax {
        <# Names every PowerShell-7-only construct in a parsed script (empty when there is none). #>
        param($Parsed)
        $found = New-Object System.Collections.ArrayList
        $forbidden = @{
            QuestionQuestion = '??'; QuestionQuestionEquals = '??='; QuestionDot = '?.'
            QuestionLBracket = '?['; AndAnd = '&&'; OrOr = '||'
        }
        foreach ($token in $Parsed.Tokens) {
            $kind = [string]$token.Kind
            if ($forbidden.ContainsKey($kind)) { [void]$found.Add(('{0} at line {1}' -f $forbidden[$kind], $token.Extent.StartLineNumber)) }
        }
        $ternaries = $Parsed.Ast.FindAll({ param($n) $n.GetType().Name -eq 'TernaryExpressionAst' }, $true)
        foreach ($node in $ternaries) { [void]$found.Add(('ternary at line {0}' -f $node.Extent.StartLineNumber)) }
        $chains = $Parsed.Ast.FindAll({ param($n) $n.GetType().Name -eq 'PipelineChainAst' }, $true)
        foreach ($node in $chains) { [void]$found.Add(('pipeline chain at line {0}' -f $node.Extent.StartLineNumber)) }
        $commands = $Parsed.Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)
        foreach ($command in $commands) {
            $name = $command.GetCommandName()
            if ($name -in @('ForEach-Object', '%', 'foreach')) {
                foreach ($element in $command.CommandElements) {
                    if ($element -is [System.Management.Automation.Language.CommandParameterAst] -and 'parallel'.StartsWith($element.ParameterName.ToLowerInvariant()) -and $element.ParameterName.Length -ge 2) {
                        [void]$found.Add(('ForEach-Object -Parallel at line {0}' -f $command.Extent.StartLineNumber))
                    }
                }
            }
        }
        return , $found
    }
}

Describe 'Agent script <Name>' -ForEach $script:Scripts {
    BeforeAll { $parsed = Get-ParsedScript -Path $Path }

    It 'parses without errors' {
        @($parsed.Errors | ForEach-Object { '{0} (line {1})' -f $_.Message, $_.Extent.StartLineNumber }) | Should -BeNullOrEmpty
    }
    It 'declares #requires -Version 5.1' {
        $parsed.Ast.ScriptRequirements.RequiredPSVersion | Should -Be ([version]'5.1')
    }
    It 'turns on StrictMode' {
        $parsed.Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] -and $n.GetCommandName() -eq 'Set-StrictMode' }, $true).Count | Should -BeGreaterThan 0
    }
    It 'has comment-based help with a synopsis' {
        $help = $parsed.Ast.GetHelpContent()
        $help | Should -Not -BeNullOrEmpty
        $help.Synopsis.Trim() | Should -Not -BeNullOrEmpty
    }
    It 'uses no PowerShell-7-only syntax' {
        @(Find-Pwsh7OnlySyntax -Parsed $parsed) | Should -BeNullOrEmpty
    }
    It 'does not hold a password literal' {
        (Get-Content -LiteralPath $Path -Raw) | Should -Not -Match '(?i)password\s*=\s*[''"][^''"]+[''"]'
    }
}

Describe 'Agent entry point <Name>' -ForEach $script:EntryPoints {
    It 'documents every parameter' {
        $parsed = Get-ParsedScript -Path $Path
        $help = $parsed.Ast.GetHelpContent()
        $parameters = @()
        if ($null -ne $parsed.Ast.ParamBlock) { $parameters = @($parsed.Ast.ParamBlock.Parameters | ForEach-Object { $_.Name.VariablePath.UserPath }) }
        foreach ($parameter in $parameters) {
            $help.Parameters.Keys -contains $parameter.ToUpperInvariant() | Should -BeTrue -Because "parameter $parameter needs a .PARAMETER entry"
        }
    }
}

Describe 'The PowerShell 7 syntax detector' {
    It 'finds <Label>' -ForEach @(
        @{ Label = 'null coalescing'; Code = '$a = $b ?? 1' },
        @{ Label = 'null-coalescing assignment'; Code = '$a ??= 1' },
        @{ Label = 'null-conditional member access'; Code = '${a}?.Length' },
        @{ Label = 'a ternary'; Code = '$a = $b ? 1 : 2' },
        @{ Label = 'a pipeline chain'; Code = 'Get-Item x && Get-Item y' },
        @{ Label = 'an OR pipeline chain'; Code = 'Get-Item x || Get-Item y' },
        @{ Label = 'ForEach-Object -Parallel'; Code = '1..3 | ForEach-Object -Parallel { $_ }' },
        @{ Label = 'abbreviated -Parallel on %'; Code = '1..3 | % -Par { $_ }' }
    ) {
        $file = Join-Path $TestDrive 'sample.ps1'
        Set-Content -LiteralPath $file -Value $Code
        @(Find-Pwsh7OnlySyntax -Parsed (Get-ParsedScript -Path $file)).Count | Should -BeGreaterThan 0
    }
    It 'accepts 5.1 syntax' {
        $file = Join-Path $TestDrive 'plain.ps1'
        Set-Content -LiteralPath $file -Value 'if ($a) { 1 } else { 2 }; 1..3 | ForEach-Object -Process { $_ }; $x = @{ a = 1 }; $x.a'
        @(Find-Pwsh7OnlySyntax -Parsed (Get-ParsedScript -Path $file)) | Should -BeNullOrEmpty
    }
}
