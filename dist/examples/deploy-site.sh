#!/usr/bin/env bash
# Deploys one build to every node and proves they all serve it:
#   1. uploads BUILD_DIR to each node's incoming directory (rsync over SSH); nothing switches yet,
#   2. runs `haflare-node deploy` on each (validate, fingerprint, atomic switch of `current`), then removes
#      the upload (the release holds its own copy),
#   3. runs `haflare-node verify --expect <fingerprint of BUILD_DIR>` on each.
# Exits 1 naming every node that failed a step; an upload failure stops before any node switches.
#
#   usage: deploy-site.sh BUILD_DIR HOST [HOST ...]       (HOST as ssh takes it: user@node1.example.org)
#
# Settings (environment):
#   DEPLOY_ID             release id (default: UTC time, yyyyMMdd-HHmmss; a CI run id or commit is better)
#   DEPLOY_LOCAL_CMD      haflare-node on this machine, for the fingerprint (default: haflare-node)
#   DEPLOY_REMOTE_CMD     haflare-node on the nodes (default: haflare-node)
#   DEPLOY_REMOTE_CONFIG  the node's config on the nodes, where site.root is <sites>/current
#                         (default: /etc/haflare-node/haflare.yml)
#   DEPLOY_INCOMING       upload directory on the nodes (default: /var/tmp/haflare-incoming)
#   DEPLOY_SSH            the ssh command (default: ssh), e.g. "ssh -i deploy_key -o StrictHostKeyChecking=yes"
#   DEPLOY_CHECK_LINKS    1: refuse a build with a broken internal link (deploy --check-links)
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '7p' "$0" >&2
  exit 2
fi
build=${1%/}
shift
hosts=("$@")
[ -d "$build" ] || { echo "deploy-site.sh: $build is not a directory (pass the build output, e.g. ./public)" >&2; exit 2; }

id=${DEPLOY_ID:-$(date -u +%Y%m%d-%H%M%S)}
if ! [[ $id =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ ]]; then
  echo "deploy-site.sh: DEPLOY_ID '$id' is not a release id: letters, digits, '.', '_' and '-', up to 64, starting with a letter or digit" >&2
  exit 2
fi
local_cmd=${DEPLOY_LOCAL_CMD:-haflare-node}
remote_cmd=${DEPLOY_REMOTE_CMD:-haflare-node}
config=${DEPLOY_REMOTE_CONFIG:-/etc/haflare-node/haflare.yml}
incoming=${DEPLOY_INCOMING:-/var/tmp/haflare-incoming}
ssh_cmd=${DEPLOY_SSH:-ssh}
links=()
[ "${DEPLOY_CHECK_LINKS:-0}" = 1 ] && links=(--check-links)

# One remote command line, every word quoted for the remote shell.
remote() {
  local host=$1
  shift
  # shellcheck disable=SC2086 # ssh_cmd and remote_cmd are command lines on purpose
  $ssh_cmd "$host" "$remote_cmd $(printf '%q ' "$@")"
}

expected=$($local_cmd fingerprint "$build" | tail -n 1)
echo "release $id of $build: $expected"

for host in "${hosts[@]}"; do
  echo "== upload to $host"
  # shellcheck disable=SC2086
  $ssh_cmd "$host" "mkdir -p $(printf '%q' "$incoming")"
  rsync -a --delete -e "$ssh_cmd" "$build/" "$host:$incoming/$id/"
done

failed=()
for host in "${hosts[@]}"; do
  echo "== deploy on $host"
  remote "$host" deploy "$incoming/$id" --id "$id" --config "$config" "${links[@]}" || failed+=("$host (deploy)")
  # the release holds its own copy now (or was refused): the upload would only fill the disk, deploy after deploy
  # shellcheck disable=SC2086
  $ssh_cmd "$host" "rm -rf $(printf '%q' "$incoming/$id")" || echo "deploy-site.sh: could not remove $incoming/$id on $host" >&2
done

for host in "${hosts[@]}"; do
  echo "== verify $host"
  remote "$host" verify --expect "$expected" --config "$config" || failed+=("$host (verify)")
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "deploy-site.sh: FAILED on: ${failed[*]}; the other nodes serve $expected" >&2
  echo "deploy-site.sh: roll the failed nodes forward (fix and rerun) or every node back: $remote_cmd rollback --config $config" >&2
  exit 1
fi
echo "all ${#hosts[@]} nodes serve release $id ($expected)"
