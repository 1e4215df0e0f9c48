@echo off
rem Aether-V: copy this file into the golden image as %WINDIR%\Setup\Scripts\SetupComplete.cmd
rem (or call it from an existing SetupComplete.cmd). At the end of Windows Setup it looks for
rem the Aether-V provisioning ISO on every drive letter and installs the provisioning service.
setlocal
set AETHERV_DONE=
for %%D in (D E F G H I J K L M N O P Q R S T U V W X Y Z) do (
  if not defined AETHERV_DONE if exist "%%D:\Install-AetherVProvisioning.ps1" if exist "%%D:\AetherV.ProvisioningService.ps1" (
    set AETHERV_DONE=1
    "%SystemRoot%\System32\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "%%D:\Install-AetherVProvisioning.ps1" -StartNow
  )
)
if not defined AETHERV_DONE echo Aether-V provisioning ISO not found; nothing installed.
endlocal
