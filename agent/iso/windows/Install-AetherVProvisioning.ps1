#requires -Version 5.1

<#
.SYNOPSIS
    Installs the Aether-V guest provisioning service from this ISO.

.DESCRIPTION
    Copies AetherV.ProvisioningService.ps1 from the folder of this script (the provisioning
    ISO) to %ProgramData%\AetherV\Provisioning, restricts that folder to SYSTEM and
    Administrators (the service runs as SYSTEM, so nobody else may change it), and registers
    the scheduled task "AetherV Provisioning": at every start, as SYSTEM, highest privileges,
    at most two hours per run. The service disables the task itself once the guest is ready.
    Run it from the golden image's SetupComplete.cmd (see SetupComplete.cmd on this ISO), or
    by hand as an administrator.

.PARAMETER InstallDirectory
    Target folder. Default: %ProgramData%\AetherV\Provisioning.
.PARAMETER StartNow
    Also starts the task right away (SetupComplete.cmd passes it).
#>
[CmdletBinding()]
param(
    [string]$InstallDirectory = (Join-Path $env:ProgramData 'AetherV\Provisioning'),
    [switch]$StartNow
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$taskName = 'AetherV Provisioning'
$source = Join-Path $PSScriptRoot 'AetherV.ProvisioningService.ps1'
if (-not (Test-Path -LiteralPath $source -PathType Leaf)) { throw ("'{0}' is missing: is this the Aether-V provisioning ISO?" -f $source) }

if (-not (Test-Path -LiteralPath $InstallDirectory)) { [void](New-Item -ItemType Directory -Path $InstallDirectory -Force) }
$acl = New-Object System.Security.AccessControl.DirectorySecurity
$acl.SetAccessRuleProtection($true, $false)
$inherit = [System.Security.AccessControl.InheritanceFlags]'ContainerInherit, ObjectInherit'
$propagation = [System.Security.AccessControl.PropagationFlags]::None
foreach ($sid in @('S-1-5-18', 'S-1-5-32-544')) {
    $identity = New-Object System.Security.Principal.SecurityIdentifier -ArgumentList $sid
    $rule = New-Object System.Security.AccessControl.FileSystemAccessRule -ArgumentList $identity, 'FullControl', $inherit, $propagation, 'Allow'
    $acl.AddAccessRule($rule)
}
Set-Acl -LiteralPath $InstallDirectory -AclObject $acl

$target = Join-Path $InstallDirectory 'AetherV.ProvisioningService.ps1'
Copy-Item -LiteralPath $source -Destination $target -Force

$powershell = Join-Path $env:SystemRoot 'System32\WindowsPowerShell\v1.0\powershell.exe'
$arguments = '-NoProfile -NonInteractive -ExecutionPolicy Bypass -File "{0}"' -f $target
$action = New-ScheduledTaskAction -Execute $powershell -Argument $arguments
$trigger = New-ScheduledTaskTrigger -AtStartup
$principal = New-ScheduledTaskPrincipal -UserId 'S-1-5-18' -LogonType ServiceAccount -RunLevel Highest
$settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit (New-TimeSpan -Hours 2) -StartWhenAvailable -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries
Register-ScheduledTask -TaskName $taskName -Action $action -Trigger $trigger -Principal $principal -Settings $settings -Force | Out-Null
Write-Output ("Installed '{0}' and registered the scheduled task '{1}'." -f $target, $taskName)
if ($StartNow) {
    Start-ScheduledTask -TaskName $taskName
    Write-Output ("Started '{0}'." -f $taskName)
}
