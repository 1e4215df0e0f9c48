# Entry point of one hostsim pwsh worker process. aetherv-hostsim starts it as
#   pwsh -NoProfile -NonInteractive -File hostsim-worker.ps1 -Assembly <hostsim-worker.dll>
# and talks to it in JSON lines over stdin/stdout (see Protocol.cs).
param([Parameter(Mandatory)] [string] $Assembly)
$ErrorActionPreference = 'Stop'
Add-Type -Path $Assembly
exit [AetherV.HostSim.Worker]::Run()
