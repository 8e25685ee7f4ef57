# Removes the haflare-node service (run in an elevated PowerShell). -Purge also deletes its state, logs,
# configuration and token under C:\ProgramData\haflare-node; the sites are never touched.
param([switch]$Purge)
$ErrorActionPreference = 'Stop'

$program = Join-Path $env:ProgramFiles 'haflare-node'
$data = Join-Path $env:ProgramData 'haflare-node'
$service = Join-Path $program 'haflare-node.exe'
if (Test-Path $service) {
    & $service stop        # the node stops cloudflared first, then the site
    & $service uninstall
}
Remove-Item -Recurse -Force $program -ErrorAction SilentlyContinue
if ($Purge) {
    Get-ChildItem $data -Exclude 'sites' | Remove-Item -Recurse -Force
}
Write-Host 'haflare-node removed'
