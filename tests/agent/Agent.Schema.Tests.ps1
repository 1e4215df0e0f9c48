# The job schema (agent/schema/job.schema.json), the copy Invoke-ProvisioningJob embeds, the
# in-script validator (checked against PowerShell 7's Test-Json as a reference implementation),
# and the KVP helpers.
BeforeAll {
    $repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    $scripts = Join-Path $repo 'agent/scripts'
    . (Join-Path $scripts 'AetherV.Agent.Common.ps1')
    . (Join-Path $scripts 'AetherV.Agent.Job.ps1')
    $script:SchemaFile = Join-Path $repo 'agent/schema/job.schema.json'
    $script:ExampleText = Get-Content -LiteralPath (Join-Path $repo 'agent/schema/job.example.json') -Raw
    $script:ReadmeText = Get-Content -LiteralPath (Join-Path $repo 'agent/README.md') -Raw

    function New-MutatedJob {
        param([scriptblock]$Mutation)
        $job = ConvertFrom-Json -InputObject $script:ExampleText
        & $Mutation $job
        return (ConvertTo-Json -InputObject $job -Depth 20)
    }
    function Test-WithReference {
        param([string]$Json)
        $schemaText = Get-Content -LiteralPath $script:SchemaFile -Raw
        return (Test-Json -Json $Json -Schema $schemaText -ErrorAction SilentlyContinue)
    }
    function Get-ScriptErrors {
        param([string]$Json)
        $list = Test-ProvisioningJob -Job (ConvertFrom-Json -InputObject $Json)
        return [string[]]$list.ToArray()
    }
}

Describe 'job.schema.json' {
    It 'is embedded unchanged in AetherV.Agent.Job.ps1' {
        $fromFile = ConvertTo-Json -InputObject (ConvertFrom-Json -InputObject (Get-Content -LiteralPath $script:SchemaFile -Raw)) -Depth 50 -Compress
        $embedded = ConvertTo-Json -InputObject (Get-ProvisioningJobSchema) -Depth 50 -Compress
        $embedded | Should -BeExactly $fromFile
    }
    It 'uses only keywords the in-script validator implements' {
        $supported = @('$schema', '$id', 'title', 'description', 'default', 'examples', 'type', 'enum', 'const',
            'properties', 'required', 'additionalProperties', 'propertyNames', 'minProperties', 'maxProperties',
            'items', 'minItems', 'maxItems', 'uniqueItems', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum')
        $unsupported = New-Object System.Collections.ArrayList
        $pending = New-Object System.Collections.Queue
        $pending.Enqueue((Get-ProvisioningJobSchema))
        $visited = 0
        while ($pending.Count -gt 0) {
            $node = $pending.Dequeue()
            $visited++
            foreach ($keyword in $node.PSObject.Properties) {
                if ($supported -notcontains $keyword.Name) { [void]$unsupported.Add($keyword.Name) }
                if ($keyword.Name -eq 'properties') { foreach ($child in $keyword.Value.PSObject.Properties) { $pending.Enqueue($child.Value) } }
                if ($keyword.Name -in @('items', 'propertyNames') -or ($keyword.Name -eq 'additionalProperties' -and $keyword.Value -isnot [bool])) { $pending.Enqueue($keyword.Value) }
            }
        }
        $visited | Should -BeGreaterThan 40
        @($unsupported).Count | Should -Be 0 -Because ('unsupported: ' + ($unsupported -join ', '))
    }
    It 'accepts the documented example (reference validator and script)' {
        Test-WithReference -Json $script:ExampleText | Should -BeTrue
        @(Get-ScriptErrors -Json $script:ExampleText).Count | Should -Be 0
    }
    It 'is the example shown in agent/README.md' {
        $match = [regex]::Match($script:ReadmeText, '(?s)<!-- job-example -->\s*```json\s*(.*?)```')
        $match.Success | Should -BeTrue
        $fromReadme = ConvertTo-Json -InputObject (ConvertFrom-Json -InputObject $match.Groups[1].Value) -Depth 20 -Compress
        $fromReadme | Should -BeExactly (ConvertTo-Json -InputObject (ConvertFrom-Json -InputObject $script:ExampleText) -Depth 20 -Compress)
    }
    It 'accepts a minimal Linux job' {
        $json = '{"schemaVersion":1,"vm":{"name":"lnx-01","processorCount":1,"memory":{"startupMB":1024},"network":{"switchName":"LAN"}},"image":{"name":"debian-12.vhdx"},"guest":{"os":"linux","hostName":"lnx-01","adminUser":"ops","sshAuthorizedKeys":["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOps ops@example"]}}'
        Test-WithReference -Json $json | Should -BeTrue
        @(Get-ScriptErrors -Json $json).Count | Should -Be 0
    }

    Context 'malformed job: <Label>' -ForEach @(
        @{ Label = 'no vm'; Expect = "missing required property 'vm'"; Mutation = { param($j) $j.PSObject.Properties.Remove('vm') } },
        @{ Label = 'unknown schema version'; Expect = '$.schemaVersion'; Mutation = { param($j) $j.schemaVersion = 2 } },
        @{ Label = 'zero processors'; Expect = '$.vm.processorCount'; Mutation = { param($j) $j.vm.processorCount = 0 } },
        @{ Label = 'processor count as text'; Expect = '$.vm.processorCount: expected integer'; Mutation = { param($j) $j.vm.processorCount = '4' } },
        @{ Label = 'fractional memory'; Expect = '$.vm.memory.startupMB: expected integer'; Mutation = { param($j) $j.vm.memory.startupMB = 1024.5 } },
        @{ Label = 'unknown top-level property'; Expect = "property 'extra' is not allowed"; Mutation = { param($j) $j | Add-Member -NotePropertyName extra -NotePropertyValue 1 } },
        @{ Label = 'image name with a folder'; Expect = '$.image.name'; Mutation = { param($j) $j.image.name = '..\evil.vhdx' } },
        @{ Label = 'image that is not a VHDX'; Expect = '$.image.name'; Mutation = { param($j) $j.image.name = 'disk.iso' } },
        @{ Label = 'unknown guest OS'; Expect = '$.guest.os'; Mutation = { param($j) $j.guest.os = 'bsd' } },
        @{ Label = 'IPv4 octet above 255'; Expect = '$.guest.network.ipv4Address'; Mutation = { param($j) $j.guest.network.ipv4Address = '10.20.0.300' } },
        @{ Label = 'VLAN out of range'; Expect = '$.vm.network.vlanId'; Mutation = { param($j) $j.vm.network.vlanId = 5000 } },
        @{ Label = 'data value over the KVP limit'; Expect = '$.guest.data.role'; Mutation = { param($j) $j.guest.data.role = ('x' * 1024) } },
        @{ Label = 'data key with a space'; Expect = '(name)'; Mutation = { param($j) $j.guest.data | Add-Member -NotePropertyName 'bad key' -NotePropertyValue 'v' } },
        @{ Label = 'duplicate DNS servers'; Expect = 'unique'; Mutation = { param($j) $j.guest.network.dnsServers = @('10.20.0.2', '10.20.0.2') } },
        @{ Label = 'wait timeout too short'; Expect = '$.wait.timeoutSeconds'; Mutation = { param($j) $j.wait.timeoutSeconds = 5 } },
        @{ Label = 'domain without password'; Expect = "missing required property 'password'"; Mutation = { param($j) $j.guest.domain.PSObject.Properties.Remove('password') } },
        @{ Label = 'network adapter without switch'; Expect = "missing required property 'switchName'"; Mutation = { param($j) $j.vm.network.PSObject.Properties.Remove('switchName') } }
    ) {
        It 'is rejected by the reference validator' {
            Test-WithReference -Json (New-MutatedJob $Mutation) | Should -BeFalse
        }
        It 'is rejected by the script with a message naming the problem' {
            $errors = @(Get-ScriptErrors -Json (New-MutatedJob $Mutation))
            $errors.Count | Should -BeGreaterThan 0
            ($errors -join "`n") | Should -BeLike ('*' + [WildcardPattern]::Escape($Expect) + '*')
        }
    }

    It 'rejects a host name ending in a newline (stricter than .NET-regex validators)' {
        $errors = @(Get-ScriptErrors -Json (New-MutatedJob { param($j) $j.guest.hostName = "web-01`n" }))
        ($errors -join "`n") | Should -BeLike '*$.guest.hostName: does not match*'
    }

    Context 'job that passes the schema but breaks a cross-field rule: <Label>' -ForEach @(
        @{ Label = 'dynamic minimum above startup'; Expect = 'minimumMB must not exceed'; Mutation = { param($j) $j.vm.memory.minimumMB = 8192 } },
        @{ Label = 'dynamic maximum below startup'; Expect = 'maximumMB must not be below'; Mutation = { param($j) $j.vm.memory.maximumMB = 1024 } },
        @{ Label = 'limits on static memory'; Expect = 'apply only with'; Mutation = { param($j) $j.vm.memory.dynamic = $false } },
        @{ Label = 'Windows name over 15 characters'; Expect = 'at most 15'; Mutation = { param($j) $j.guest.hostName = 'web-frontend-0001' } },
        @{ Label = 'domain join on Linux'; Expect = 'Windows guests only'; Mutation = { param($j) $j.guest.os = 'linux' } },
        @{ Label = 'gateway outside the subnet'; Expect = 'not inside'; Mutation = { param($j) $j.guest.network.gateway = '10.21.0.1' } }
    ) {
        It 'passes the reference schema check' {
            Test-WithReference -Json (New-MutatedJob $Mutation) | Should -BeTrue
        }
        It 'is rejected by the script' {
            ((Get-ScriptErrors -Json (New-MutatedJob $Mutation)) -join "`n") | Should -BeLike ('*' + $Expect + '*')
        }
    }
}

Describe 'Test-AgentJsonSchema' {
    It 'reports a keyword it does not implement' {
        $schema = ConvertFrom-Json -InputObject '{"type":"string","format":"email"}'
        (Test-AgentJsonSchema -Value 'a' -Schema $schema).ToArray() -join ' ' | Should -BeLike "*'format' is not supported*"
    }
    It 'matches property names case-sensitively' {
        $schema = ConvertFrom-Json -InputObject '{"type":"object","required":["name"],"properties":{"name":{"type":"string"}},"additionalProperties":false}'
        $errors = (Test-AgentJsonSchema -Value (ConvertFrom-Json -InputObject '{"Name":"x"}') -Schema $schema).ToArray()
        $errors -join ' ' | Should -BeLike "*missing required property 'name'*"
    }
}

Describe 'KVP helpers' {
    It 'round-trips items with XML special characters' {
        $xml = ConvertTo-AgentKvpItemXml -Name 'AetherV.Data.note' -Data 'a<b & "c" > d' -Source 0
        $xml | Should -BeLike '<INSTANCE CLASSNAME="Msvm_KvpExchangeDataItem">*'
        $xml | Should -BeLike '*<PROPERTY NAME="Source" TYPE="uint16"><VALUE>0</VALUE></PROPERTY>*'
        $map = ConvertFrom-AgentKvpItemXml -Items @($xml)
        $map['AetherV.Data.note'] | Should -BeExactly 'a<b & "c" > d'
    }
    It 'skips items that are not KVP instances' {
        (ConvertFrom-AgentKvpItemXml -Items @('not xml', '', '<INSTANCE/>')).Count | Should -Be 0
    }
    It 'accepts the largest key and value' {
        $null -eq (Test-AgentKvpSize -Key ('k' * 255) -Value ('v' * 1023)) | Should -BeTrue
    }
    It 'rejects <Label>' -ForEach @(
        @{ Label = 'a 256-character key'; Key = ('k' * 256); Value = '' },
        @{ Label = 'a 1024-character value'; Key = 'k'; Value = ('v' * 1024) },
        @{ Label = 'a value over 2047 UTF-8 bytes'; Key = 'k'; Value = ([string][char]0x20AC * 700) },
        @{ Label = 'an empty key'; Key = ''; Value = 'v' },
        @{ Label = 'a NUL in the value'; Key = 'k'; Value = "a$([char]0)b" }
    ) {
        Test-AgentKvpSize -Key $Key -Value $Value | Should -Not -BeNullOrEmpty
    }
    It 'quotes WQL strings' {
        ConvertTo-AgentWqlString "a'b\c" | Should -BeExactly "'a\'b\\c'"
    }
}
