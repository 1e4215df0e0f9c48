#requires -Version 5.1

<#
.SYNOPSIS
    Shared helpers of the Aether-V agent scripts (dot-sourced, never run on its own).

.DESCRIPTION
    Every agent script dot-sources this file through $PSScriptRoot. It provides:
      * the JSON-lines output protocol: progress events while working and exactly one
        {"event":"result",...} line at the end (Invoke-AgentScript, Write-AgentProgress);
      * typed errors that carry a stable code (New-AgentError);
      * a validator for the subset of JSON Schema that agent/schema/job.schema.json uses
        (Test-AgentJsonSchema), so validation works on Windows PowerShell 5.1 without Test-Json;
      * Hyper-V KVP helpers: the CIM-XML text of an Msvm_KvpExchangeDataItem, parsing the
        embedded instances of GuestExchangeItems/HostExchangeItems, and size limits of keys/values.

    The file works unchanged on Windows PowerShell 5.1 and PowerShell 7.
#>
Set-StrictMode -Version 3.0

$script:AgentVirtualizationNamespace = 'root\virtualization\v2'
# Hyper-V KVP records are fixed-size: 512 bytes of key and 2048 bytes of value, UTF-16 on the
# VMBus (terminator included) and UTF-8 in the Linux pool files (terminator included).
$script:AgentKvpMaxKeyChars = 255
$script:AgentKvpMaxKeyUtf8Bytes = 511
$script:AgentKvpMaxValueChars = 1023
$script:AgentKvpMaxValueUtf8Bytes = 2047

function New-AgentError {
    <# Builds an exception that carries a stable error code, optional details and partial data. #>
    param(
        [Parameter(Mandatory = $true)][string]$Code,
        [Parameter(Mandatory = $true)][string]$Message,
        $Details = $null,
        $Data = $null
    )
    $exception = New-Object System.InvalidOperationException -ArgumentList $Message
    $exception.Data['AetherVCode'] = $Code
    if ($null -ne $Details) { $exception.Data['AetherVDetails'] = $Details }
    if ($null -ne $Data) { $exception.Data['AetherVData'] = $Data }
    return $exception
}

function ConvertTo-AgentJsonLine {
    param([Parameter(Mandatory = $true)]$InputObject)
    return (ConvertTo-Json -InputObject $InputObject -Depth 10 -Compress)
}

function Write-AgentProgress {
    <# Emits one {"event":"progress",...} line. #>
    param(
        [Parameter(Mandatory = $true)][string]$Message,
        [string]$Stage = '',
        [int]$Percent = -1
    )
    $record = [ordered]@{ event = 'progress'; script = $script:AgentScriptName; message = $Message }
    if ($Stage) { $record['stage'] = $Stage }
    if ($Percent -ge 0) { $record['percent'] = [Math]::Min(100, $Percent) }
    Write-Output (ConvertTo-AgentJsonLine $record)
}

function Get-AgentUtcNow {
    <# The clock every timeout uses (a seam for tests). #>
    return [DateTime]::UtcNow
}

function Get-AgentException {
    param([Parameter(Mandatory = $true)]$ErrorRecord)
    $exception = $ErrorRecord
    if ($ErrorRecord -is [System.Management.Automation.ErrorRecord]) { $exception = $ErrorRecord.Exception }
    while ($null -ne $exception) {
        if ($exception.Data.Contains('AetherVCode')) { return $exception }
        $exception = $exception.InnerException
    }
    return $null
}

function Invoke-AgentScript {
    <#
    .SYNOPSIS
        Runs a script body under the output protocol.
    .DESCRIPTION
        Progress lines the body emits are passed through as they come; the last dictionary the
        body outputs becomes "data" of the result line. A thrown error becomes ok=false with a
        code (AetherV errors) or "Unexpected". Sets $script:AgentExitCode (0 or 1) in the calling
        script, which then exits with it.
    #>
    param(
        [Parameter(Mandatory = $true)][string]$Name,
        [Parameter(Mandatory = $true)][scriptblock]$Body
    )
    $script:AgentScriptName = $Name
    $script:AgentExitCode = 1
    $agentCollected = New-Object System.Collections.ArrayList
    $agentResult = [ordered]@{ event = 'result'; script = $Name; ok = $false }
    try {
        & $Body | ForEach-Object {
            if ($_ -is [string] -and $_.StartsWith('{"event":')) {
                Write-Output $_
            } elseif ($_ -is [System.Collections.IDictionary]) {
                [void]$agentCollected.Add($_)
            } elseif ($null -ne $_) {
                Write-Verbose ("Discarding unexpected output: {0}" -f $_)
            }
        }
        $agentResult['ok'] = $true
        if ($agentCollected.Count -gt 0) { $agentResult['data'] = $agentCollected[$agentCollected.Count - 1] }
        else { $agentResult['data'] = [ordered]@{} }
        $script:AgentExitCode = 0
    } catch {
        $agentException = Get-AgentException $_
        $agentErrorInfo = [ordered]@{}
        if ($null -ne $agentException) {
            $agentErrorInfo['code'] = [string]$agentException.Data['AetherVCode']
            $agentErrorInfo['message'] = $agentException.Message
            if ($agentException.Data.Contains('AetherVDetails')) { $agentErrorInfo['details'] = $agentException.Data['AetherVDetails'] }
            if ($agentException.Data.Contains('AetherVData')) { $agentResult['data'] = $agentException.Data['AetherVData'] }
        } else {
            $agentErrorInfo['code'] = 'Unexpected'
            $agentErrorInfo['message'] = $_.Exception.Message
            $agentPosition = $_.InvocationInfo
            if ($null -ne $agentPosition -and $agentPosition.ScriptLineNumber -gt 0) {
                $agentErrorInfo['at'] = ('{0}:{1}' -f [System.IO.Path]::GetFileName([string]$agentPosition.ScriptName), $agentPosition.ScriptLineNumber)
            }
        }
        $agentResult['error'] = $agentErrorInfo
    }
    Write-Output (ConvertTo-AgentJsonLine $agentResult)
}

function Read-AgentResultLines {
    <#
    .SYNOPSIS
        Runs a sibling agent script and returns its parsed result, forwarding its progress lines.
    .OUTPUTS
        The progress lines (strings) followed by one PSCustomObject: the parsed result line.
    #>
    param(
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)][hashtable]$Parameters
    )
    $resultLine = $null
    & $Path @Parameters | ForEach-Object {
        $line = [string]$_
        if ($line.StartsWith('{"event":"result"')) { $resultLine = $line }
        elseif ($line.StartsWith('{"event":')) { Write-Output $line }
    }
    if ($null -eq $resultLine) {
        $name = [System.IO.Path]::GetFileName($Path)
        $missing = [ordered]@{ code = 'NoResult'; message = ("{0} ended without a result line" -f $name) }
        return [pscustomobject]@{ event = 'result'; script = $name; ok = $false; error = [pscustomobject]$missing }
    }
    return (ConvertFrom-Json -InputObject $resultLine)
}

function Test-AgentInteger {
    param($Value)
    if ($null -eq $Value -or $Value -is [bool]) { return $false }
    if ($Value -is [int] -or $Value -is [long] -or $Value -is [int16] -or $Value -is [byte] -or
        $Value -is [uint32] -or $Value -is [uint64] -or $Value.GetType().FullName -eq 'System.Numerics.BigInteger') { return $true }
    if ($Value -is [double] -or $Value -is [decimal] -or $Value -is [single]) { return ([Math]::Floor([double]$Value) -eq [double]$Value) }
    return $false
}

function Get-AgentJsonType {
    param($Value)
    if ($null -eq $Value) { return 'null' }
    if ($Value -is [bool]) { return 'boolean' }
    if ($Value -is [string] -or $Value -is [DateTime]) { return 'string' }
    if (Test-AgentInteger $Value) { return 'integer' }
    if ($Value -is [double] -or $Value -is [decimal] -or $Value -is [single]) { return 'number' }
    if ($Value -is [System.Management.Automation.PSCustomObject]) { return 'object' }
    if ($Value -is [System.Collections.IDictionary]) { return 'object' }
    if ($Value -is [System.Collections.IList]) { return 'array' }
    return 'unknown'
}

function Get-AgentObjectProperties {
    <# The (name, value) pairs of a parsed JSON object (PSCustomObject or dictionary), in order. #>
    param($Value)
    $pairs = New-Object System.Collections.ArrayList
    if ($Value -is [System.Collections.IDictionary]) {
        foreach ($key in $Value.Keys) { [void]$pairs.Add([pscustomobject]@{ Name = [string]$key; Value = $Value[$key] }) }
    } else {
        foreach ($property in $Value.PSObject.Properties) { [void]$pairs.Add([pscustomobject]@{ Name = $property.Name; Value = $property.Value }) }
    }
    return , $pairs
}

function Get-AgentSchemaMember {
    param($Schema, [string]$Name)
    if ($null -eq $Schema) { return $null }
    $property = $Schema.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    return $property.Value
}

function Test-AgentPattern {
    <# ECMA-262 semantics for the anchors the schema uses: a final '$' must not match before "\n". #>
    param([string]$Text, [string]$Pattern)
    $dotNetPattern = $Pattern
    if ($dotNetPattern.EndsWith('$') -and -not $dotNetPattern.EndsWith('\$')) {
        $dotNetPattern = $dotNetPattern.Substring(0, $dotNetPattern.Length - 1) + '\z'
    }
    return [regex]::IsMatch($Text, $dotNetPattern)
}

function Test-AgentJsonSchema {
    <#
    .SYNOPSIS
        Validates a parsed JSON value against a JSON Schema subset; returns error strings.
    .DESCRIPTION
        Supported keywords (the ones agent/schema/job.schema.json uses): type, enum, const,
        properties, required, additionalProperties (boolean or schema), propertyNames,
        minProperties, maxProperties, items, minItems, maxItems, uniqueItems, minLength,
        maxLength, pattern, minimum, maximum. Annotations ($schema, $id, title, description,
        default, examples) are ignored. Any other keyword is reported as an error so the schema
        can never silently use something this validator does not check.
    #>
    param(
        $Value,
        [Parameter(Mandatory = $true)]$Schema,
        [string]$Path = '$'
    )
    $errors = New-Object System.Collections.ArrayList
    $known = @('$schema', '$id', 'title', 'description', 'default', 'examples', 'type', 'enum', 'const',
        'properties', 'required', 'additionalProperties', 'propertyNames', 'minProperties', 'maxProperties',
        'items', 'minItems', 'maxItems', 'uniqueItems', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum')
    foreach ($keyword in $Schema.PSObject.Properties) {
        if ($known -notcontains $keyword.Name) { [void]$errors.Add(("{0}: schema keyword '{1}' is not supported" -f $Path, $keyword.Name)) }
    }
    $actual = Get-AgentJsonType $Value
    $type = Get-AgentSchemaMember $Schema 'type'
    if ($null -ne $type) {
        $allowed = @($type)
        $typeOk = ($allowed -contains $actual) -or ($actual -eq 'integer' -and $allowed -contains 'number')
        if (-not $typeOk) {
            [void]$errors.Add(("{0}: expected {1}, got {2}" -f $Path, ($allowed -join ' or '), $actual))
            return , $errors
        }
    }
    $enum = Get-AgentSchemaMember $Schema 'enum'
    if ($null -ne $enum) {
        $found = $false
        foreach ($candidate in @($enum)) {
            if ((Get-AgentJsonType $candidate) -eq $actual -and [string]$candidate -ceq [string]$Value) { $found = $true }
        }
        if (-not $found) { [void]$errors.Add(("{0}: must be one of {1}" -f $Path, ((@($enum) | ForEach-Object { ConvertTo-Json -InputObject $_ -Compress }) -join ', '))) }
    }
    if ($null -ne $Schema.PSObject.Properties['const']) {
        $const = $Schema.const
        if (-not ((Get-AgentJsonType $const) -eq $actual -and [string]$const -ceq [string]$Value)) {
            [void]$errors.Add(("{0}: must be {1}" -f $Path, (ConvertTo-Json -InputObject $const -Compress)))
        }
    }
    if ($actual -eq 'string') {
        $text = [string]$Value
        if ($Value -is [DateTime]) { $text = $Value.ToString('o') }
        $minLength = Get-AgentSchemaMember $Schema 'minLength'
        $maxLength = Get-AgentSchemaMember $Schema 'maxLength'
        if ($null -ne $minLength -and $text.Length -lt $minLength) { [void]$errors.Add(("{0}: shorter than {1} characters" -f $Path, $minLength)) }
        if ($null -ne $maxLength -and $text.Length -gt $maxLength) { [void]$errors.Add(("{0}: longer than {1} characters" -f $Path, $maxLength)) }
        $pattern = Get-AgentSchemaMember $Schema 'pattern'
        if ($null -ne $pattern -and -not (Test-AgentPattern $text $pattern)) { [void]$errors.Add(("{0}: does not match {1}" -f $Path, $pattern)) }
    }
    if ($actual -eq 'integer' -or $actual -eq 'number') {
        $minimum = Get-AgentSchemaMember $Schema 'minimum'
        $maximum = Get-AgentSchemaMember $Schema 'maximum'
        if ($null -ne $minimum -and [double]$Value -lt [double]$minimum) { [void]$errors.Add(("{0}: less than {1}" -f $Path, $minimum)) }
        if ($null -ne $maximum -and [double]$Value -gt [double]$maximum) { [void]$errors.Add(("{0}: greater than {1}" -f $Path, $maximum)) }
    }
    if ($actual -eq 'array') {
        $list = @($Value)
        $minItems = Get-AgentSchemaMember $Schema 'minItems'
        $maxItems = Get-AgentSchemaMember $Schema 'maxItems'
        if ($null -ne $minItems -and $list.Count -lt $minItems) { [void]$errors.Add(("{0}: fewer than {1} items" -f $Path, $minItems)) }
        if ($null -ne $maxItems -and $list.Count -gt $maxItems) { [void]$errors.Add(("{0}: more than {1} items" -f $Path, $maxItems)) }
        if ((Get-AgentSchemaMember $Schema 'uniqueItems') -eq $true) {
            $seen = @{}
            foreach ($item in $list) {
                $keyText = ConvertTo-Json -InputObject $item -Compress -Depth 10
                if ($seen.ContainsKey($keyText)) { [void]$errors.Add(("{0}: items must be unique" -f $Path)); break }
                $seen[$keyText] = $true
            }
        }
        $itemSchema = Get-AgentSchemaMember $Schema 'items'
        if ($null -ne $itemSchema) {
            for ($i = 0; $i -lt $list.Count; $i++) {
                foreach ($e in (Test-AgentJsonSchema -Value $list[$i] -Schema $itemSchema -Path ("{0}[{1}]" -f $Path, $i))) { [void]$errors.Add($e) }
            }
        }
    }
    if ($actual -eq 'object') {
        $pairs = Get-AgentObjectProperties $Value
        $names = @($pairs | ForEach-Object { $_.Name })
        foreach ($requiredName in @(Get-AgentSchemaMember $Schema 'required')) {
            if ($null -ne $requiredName -and $names -cnotcontains $requiredName) { [void]$errors.Add(("{0}: missing required property '{1}'" -f $Path, $requiredName)) }
        }
        $minProperties = Get-AgentSchemaMember $Schema 'minProperties'
        $maxProperties = Get-AgentSchemaMember $Schema 'maxProperties'
        if ($null -ne $minProperties -and $names.Count -lt $minProperties) { [void]$errors.Add(("{0}: fewer than {1} properties" -f $Path, $minProperties)) }
        if ($null -ne $maxProperties -and $names.Count -gt $maxProperties) { [void]$errors.Add(("{0}: more than {1} properties" -f $Path, $maxProperties)) }
        $properties = Get-AgentSchemaMember $Schema 'properties'
        $additional = Get-AgentSchemaMember $Schema 'additionalProperties'
        $propertyNames = Get-AgentSchemaMember $Schema 'propertyNames'
        foreach ($pair in $pairs) {
            $childPath = "{0}.{1}" -f $Path, $pair.Name
            if ($null -ne $propertyNames) {
                foreach ($e in (Test-AgentJsonSchema -Value $pair.Name -Schema $propertyNames -Path ("{0} (name)" -f $childPath))) { [void]$errors.Add($e) }
            }
            $declared = $null
            if ($null -ne $properties) {
                $declaredProperty = $properties.PSObject.Properties[$pair.Name]
                if ($null -ne $declaredProperty -and $declaredProperty.Name -ceq $pair.Name) { $declared = $declaredProperty.Value }
            }
            if ($null -ne $declared) {
                foreach ($e in (Test-AgentJsonSchema -Value $pair.Value -Schema $declared -Path $childPath)) { [void]$errors.Add($e) }
            } elseif ($additional -is [bool]) {
                if (-not $additional) { [void]$errors.Add(("{0}: property '{1}' is not allowed" -f $Path, $pair.Name)) }
            } elseif ($null -ne $additional) {
                foreach ($e in (Test-AgentJsonSchema -Value $pair.Value -Schema $additional -Path $childPath)) { [void]$errors.Add($e) }
            }
        }
    }
    return , $errors
}

function Test-AgentKvpSize {
    <# Returns $null when a KVP key/value pair fits Hyper-V's record sizes, else the reason. #>
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Key, [AllowEmptyString()][string]$Value = '')
    if ($Key.Length -eq 0) { return 'the key is empty' }
    if ($Key.IndexOf([char]0) -ge 0 -or $Value.IndexOf([char]0) -ge 0) { return ("key '{0}': NUL characters are not allowed" -f $Key) }
    $keyBytes = [System.Text.Encoding]::UTF8.GetByteCount($Key)
    if ($Key.Length -gt $script:AgentKvpMaxKeyChars -or $keyBytes -gt $script:AgentKvpMaxKeyUtf8Bytes) {
        return ("key of {0} characters ({1} UTF-8 bytes) exceeds the KVP limit of {2} characters / {3} bytes" -f $Key.Length, $keyBytes, $script:AgentKvpMaxKeyChars, $script:AgentKvpMaxKeyUtf8Bytes)
    }
    $valueBytes = [System.Text.Encoding]::UTF8.GetByteCount($Value)
    if ($Value.Length -gt $script:AgentKvpMaxValueChars -or $valueBytes -gt $script:AgentKvpMaxValueUtf8Bytes) {
        return ("value of key '{0}' has {1} characters ({2} UTF-8 bytes), over the KVP limit of {3} characters / {4} bytes" -f $Key, $Value.Length, $valueBytes, $script:AgentKvpMaxValueChars, $script:AgentKvpMaxValueUtf8Bytes)
    }
    return $null
}

function ConvertTo-AgentKvpItemXml {
    <# The CIM-XML (DTD 2.0) text of one Msvm_KvpExchangeDataItem, as AddKvpItems expects. #>
    param([Parameter(Mandatory = $true)][string]$Name, [AllowEmptyString()][string]$Data = '', [int]$Source = 0)
    $settings = New-Object System.Xml.XmlWriterSettings
    $settings.OmitXmlDeclaration = $true
    $builder = New-Object System.Text.StringBuilder
    $writer = [System.Xml.XmlWriter]::Create($builder, $settings)
    $writer.WriteStartElement('INSTANCE')
    $writer.WriteAttributeString('CLASSNAME', 'Msvm_KvpExchangeDataItem')
    foreach ($property in @(@('Data', 'string', $Data), @('Name', 'string', $Name), @('Source', 'uint16', [string]$Source))) {
        $writer.WriteStartElement('PROPERTY')
        $writer.WriteAttributeString('NAME', $property[0])
        $writer.WriteAttributeString('TYPE', $property[1])
        $writer.WriteElementString('VALUE', $property[2])
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()
    $writer.Flush()
    $writer.Close()
    return $builder.ToString()
}

function ConvertFrom-AgentKvpItemXml {
    <# Parses embedded Msvm_KvpExchangeDataItem instances into an ordered Name -> Data map. #>
    param([AllowNull()][AllowEmptyCollection()][string[]]$Items)
    $map = [ordered]@{}
    foreach ($text in @($Items)) {
        if ([string]::IsNullOrWhiteSpace($text)) { continue }
        try { $document = [xml]$text } catch { continue }
        $nameNode = $document.SelectSingleNode("/INSTANCE/PROPERTY[@NAME='Name']/VALUE")
        $dataNode = $document.SelectSingleNode("/INSTANCE/PROPERTY[@NAME='Data']/VALUE")
        if ($null -eq $nameNode) { continue }
        $value = ''
        if ($null -ne $dataNode) { $value = $dataNode.InnerText }
        $map[$nameNode.InnerText] = $value
    }
    return $map
}

function ConvertTo-AgentWqlString {
    <# Quotes a value for a WQL filter. #>
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Value)
    return "'" + $Value.Replace('\', '\\').Replace("'", "\'") + "'"
}

function Get-AgentVmCimInstance {
    <# The Msvm_ComputerSystem of one VM, by id (preferred) or unique name. #>
    param([string]$VMName, [string]$VMId)
    if ($VMId) {
        $filter = 'Name=' + (ConvertTo-AgentWqlString $VMId)
        $label = $VMId
    } elseif ($VMName) {
        $filter = 'ElementName=' + (ConvertTo-AgentWqlString $VMName)
        $label = $VMName
    } else {
        throw (New-AgentError -Code 'InvalidArgument' -Message 'Give -VMName or -VMId.')
    }
    $found = @(Get-CimInstance -Namespace $script:AgentVirtualizationNamespace -ClassName 'Msvm_ComputerSystem' -Filter $filter -ErrorAction Stop)
    if ($found.Count -eq 0) { throw (New-AgentError -Code 'VMNotFound' -Message ("No virtual machine '{0}' exists on this host." -f $label)) }
    if ($found.Count -gt 1) { throw (New-AgentError -Code 'VMAmbiguous' -Message ("{0} virtual machines are named '{1}'; pass -VMId." -f $found.Count, $label)) }
    return $found[0]
}

function Get-AgentDefaultVmRoot {
    <# The host's default virtual machine folder (Get-VMHost). #>
    $vmHost = Get-VMHost -ErrorAction Stop
    $path = [string]$vmHost.VirtualMachinePath
    if (-not $path) { throw (New-AgentError -Code 'NoDefaultPath' -Message 'The Hyper-V host has no default virtual machine path; give the path explicitly.') }
    return $path
}

function Get-AgentVmFolder {
    param([Parameter(Mandatory = $true)][string]$VMRootPath, [Parameter(Mandatory = $true)][string]$VMName)
    return (Join-Path $VMRootPath $VMName)
}
