# Installs haflare-node as a Windows service (run in an elevated PowerShell).
#   .\install.ps1 -Jar .\haflare-node.jar -WinSW .\WinSW-x64.exe [-TokenFile .\token.txt] [-Site C:\sites\current]
# Java 17 or later must be on PATH (for example Eclipse Temurin's MSI with "Add to PATH").
param(
    [Parameter(Mandatory = $true)][string]$Jar,
    [Parameter(Mandatory = $true)][string]$WinSW,
    [string]$TokenFile,
    [string]$Site
)
$ErrorActionPreference = 'Stop'

$program = Join-Path $env:ProgramFiles 'haflare-node'
$data = Join-Path $env:ProgramData 'haflare-node'
New-Item -ItemType Directory -Force -Path $program, $data, (Join-Path $data 'state'), (Join-Path $data 'logs') | Out-Null

if (-not (Get-Command java -ErrorAction SilentlyContinue)) {
    throw 'java is not on PATH: install Java 17 or later (for example Temurin) and open a new PowerShell'
}

Copy-Item -Force $Jar (Join-Path $program 'haflare-node.jar')
Copy-Item -Force $WinSW (Join-Path $program 'haflare-node.exe')
Copy-Item -Force (Join-Path $PSScriptRoot 'haflare-node.xml') (Join-Path $program 'haflare-node.xml')

$config = Join-Path $data 'haflare.yml'
if (-not (Test-Path $config)) {
    $root = if ($Site) { $Site } else { Join-Path $data 'sites\current' }
    @"
site:
  root: $($root -replace '\\', '/')
  listen: 127.0.0.1:8080
admin:
  listen: 127.0.0.1:9090
"@ | Set-Content -Encoding UTF8 $config
}

$token = Join-Path $data 'tunnel-token'
if ($TokenFile) {
    Copy-Item -Force $TokenFile $token
}
if (Test-Path $token) {
    # the token is readable by SYSTEM (the service) and Administrators only
    icacls $token /inheritance:r /grant:r 'SYSTEM:(R)' 'Administrators:(F)' | Out-Null
}

& (Join-Path $program 'haflare-node.exe') install
& (Join-Path $program 'haflare-node.exe') start
Write-Host "haflare-node installed. Status: java -jar `"$program\haflare-node.jar`" status"
