#!/usr/bin/env bash
# Puts official cloudflared release binaries into the JAR's classes with a SHA-256 manifest, which the
# launcher reads to extract and verify the one for its platform.
#   usage: bundle-agents.sh DIR OUT      (mvn package -Dcloudflared.dir=DIR runs it)
# DIR holds files as GitHub releases name them: cloudflared-linux-amd64, cloudflared-linux-arm64,
# cloudflared-windows-amd64.exe, cloudflared-darwin-arm64.tgz (macOS releases are archives of one binary).
# Manifest lines: "linux-amd64 = cloudflared-linux-amd64 <sha256>".
set -euo pipefail
dir=$1
out=$2
[ -d "$dir" ] || { echo "bundle-agents.sh: -Dcloudflared.dir=$dir is not a directory" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out"
manifest=$out/manifest.properties
: > "$manifest"
found=0
for file in "$dir"/cloudflared-*; do
  [ -f "$file" ] || continue
  name=$(basename "$file")
  platform=${name#cloudflared-}
  case "$name" in
    *.tgz)
      platform=${platform%.tgz}
      target=cloudflared-$platform
      tar -xzf "$file" -O cloudflared > "$out/$target"
      ;;
    *.exe)
      platform=${platform%.exe}
      target=$name
      cp "$file" "$out/$target"
      ;;
    *.deb | *.rpm | *.msi | *.pkg | *.sha256 | *.sig) continue ;;
    *)
      target=$name
      cp "$file" "$out/$target"
      ;;
  esac
  case "$platform" in
    linux-amd64 | linux-arm64 | linux-arm | linux-386 | windows-amd64 | windows-386 | darwin-amd64 | darwin-arm64) ;;
    *) echo "bundle-agents.sh: $name is not a cloudflared release name this node knows (platform '$platform')" >&2; exit 2 ;;
  esac
  echo "$platform = $target $(sha256sum "$out/$target" | cut -d' ' -f1)" >> "$manifest"
  echo "bundled $target for $platform"
  found=$((found + 1))
done
[ "$found" -gt 0 ] || { echo "bundle-agents.sh: no cloudflared-* release binaries in $dir" >&2; exit 2; }
