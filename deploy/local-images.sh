#!/usr/bin/env bash
# Builds every image docker-compose.yml needs from Debian packages and this repository, for a
# machine that cannot pull from Docker Hub (deploy/docker-compose.local.yml points compose at
# them). Idempotent and cache-friendly: the Debian base is made once (debootstrap, ~1-2 min),
# later runs reuse BuildKit's layer cache and take seconds when nothing changed.
#
#   deploy/local-images.sh            # all images
#   deploy/local-images.sh base       # only the base images (debian, node, postgres, nginx, orthanc)
#
# Needs: a running dockerd, BuildKit (docker.io 20.10's built-in builder, or the buildx plugin),
# debootstrap (first run only). Image names: concord-deploy/*.
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${CONCORD_IMAGE_PREFIX:-concord-deploy}
what=${1:-all}

log() { printf '[local-images %s] %s\n' "$(date +%T)" "$*" >&2; }

# A docker CLI that builds with BuildKit: Docker CLI 23+ builds with BuildKit only through the
# buildx plugin; docker.io 20.10's own CLI has BuildKit built in.
docker_cli() {
  if docker buildx version >/dev/null 2>&1; then echo docker; return; fi
  for cand in /usr/bin/docker docker; do
    command -v "$cand" >/dev/null 2>&1 || continue
    major=$("$cand" version --format '{{.Client.Version}}' 2>/dev/null | cut -d. -f1 || true)
    if [ -n "$major" ] && [ "$major" -lt 23 ] 2>/dev/null; then echo "$cand"; return; fi
  done
  echo "no docker CLI that can build with BuildKit: install the buildx plugin (apt-get install docker-buildx) or docker.io 20.10's CLI" >&2
  exit 1
}
DOCKER=$(docker_cli)
export DOCKER_BUILDKIT=1

# The npm registry is reached through this machine's CA bundle, handed to builds as a BuildKit
# secret (mounted for one RUN, never stored in a layer).
secret=()
cafile=$(npm config get cafile 2>/dev/null || true)
if [ -n "$cafile" ] && [ "$cafile" != null ] && [ -s "$cafile" ]; then secret=(--secret "id=npm_ca,src=$cafile"); fi

build() { # build NAME DOCKERFILE CONTEXT [extra args…]
  local name=$1 file=$2 ctx=$3; shift 3
  local t0=$SECONDS
  if ! "$DOCKER" build --progress=plain "${secret[@]}" -f "$file" -t "$PREFIX/$name" "$@" "$ctx" > "/tmp/$PREFIX-build-${name//[:\/]/_}.log" 2>&1; then
    tail -n 40 "/tmp/$PREFIX-build-${name//[:\/]/_}.log" >&2
    log "building $PREFIX/$name failed (full log: /tmp/$PREFIX-build-${name//[:\/]/_}.log)"
    exit 1
  fi
  log "$PREFIX/$name built in $((SECONDS - t0)) s"
}

# The Debian mirror apt already uses here (deb822 `URIs:` or one-line `deb URI suite`).
debian_mirror() {
  local uri
  uri=$(grep -hE '^\s*URIs:\s*https?://[^ ]*debian/?\s*$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 | awk '{print $2}' || true)
  [ -n "$uri" ] || uri=$(grep -hE '^\s*deb\s+https?://[^ ]*/debian/?\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n1 | awk '{print $2}' || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

if ! "$DOCKER" image inspect "$PREFIX/debian:trixie" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null 2>&1 || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }
  rootfs=$(mktemp -d /tmp/concord-rootfs.XXXXXX)
  trap 'rm -rf "$rootfs"' EXIT
  mirror=$(debian_mirror)
  log "debootstrap trixie from $mirror"
  debootstrap --variant=minbase trixie "$rootfs" "$mirror" > "/tmp/$PREFIX-debootstrap.log" 2>&1 \
    || { tail -n 20 "/tmp/$PREFIX-debootstrap.log" >&2; exit 1; }
  tar -C "$rootfs" -c . | "$DOCKER" import - "$PREFIX/debian:trixie" >/dev/null
  rm -rf "$rootfs"; trap - EXIT
  log "$PREFIX/debian:trixie imported"
fi

# Node: this host's Node binary, headers and npm (see deploy/local/node.Dockerfile for why).
node_bin=$(readlink -f "$(command -v node)")
node_prefix=$(dirname "$(dirname "$node_bin")")
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
[ -d "$node_prefix/include/node" ] || { echo "Node headers not found under $node_prefix/include/node" >&2; exit 1; }
nodectx=$(mktemp -d /tmp/concord-nodectx.XXXXXX)
cp "$node_bin" "$nodectx/node"
cp -a "$npm_dir" "$nodectx/npm"
mkdir "$nodectx/include" && cp -a "$node_prefix/include/node" "$nodectx/include/node"
build node:20 deploy/local/node.Dockerfile "$nodectx" --build-arg "DEBIAN_IMAGE=$PREFIX/debian:trixie"
rm -rf "$nodectx"

for svc in postgres nginx orthanc; do
  build "$svc:local" "deploy/local/$svc.Dockerfile" . --build-arg "DEBIAN_IMAGE=$PREFIX/debian:trixie"
done
[ "$what" = base ] && exit 0

app_args=(--build-arg "NODE_IMAGE=$PREFIX/node:20")
build api:local apps/api/Dockerfile . "${app_args[@]}"
build trainer-cpu:local services/trainer/Dockerfile . "${app_args[@]}" --target cpu
build web:local apps/web/Dockerfile . "${app_args[@]}"
