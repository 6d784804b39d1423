# Sourced by scripts/dev and scripts/test: puts Node >= 22 and the pinned pnpm on PATH,
# then installs the workspace from the lockfile. Safe to run again; a warm run takes seconds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_VERSION="$(tr -d '[:space:]' < "$ROOT/.node-version")"
PNPM_VERSION="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$ROOT/package.json")"

# npm reaches the registry through TLS that may need the system CA bundle; keep it when a caller's env drops it.
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi

log() { printf '[toolchain] %s\n' "$*" >&2; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local system_node
  system_node="$(command -v node || true)"
  if [ -n "$system_node" ] && [ "$(node_major "$system_node")" -ge 22 ]; then
    return
  fi
  local local_node="$TOOLS/node/node_modules/node/bin/node"
  if [ ! -x "$local_node" ] || [ "$("$local_node" --version)" != "v$NODE_VERSION" ]; then
    command -v npm >/dev/null || { log "npm is needed once to fetch Node $NODE_VERSION"; exit 1; }
    log "system Node is older than 22: installing Node $NODE_VERSION into .tools/node"
    mkdir -p "$TOOLS/node"
    npm install --prefix "$TOOLS/node" --no-save --no-audit --no-fund --loglevel=error "node@$NODE_VERSION" >&2
    "$local_node" --version >/dev/null || { log "Node $NODE_VERSION did not install"; exit 1; }
  fi
  export PATH="$(dirname "$local_node"):$PATH"
}

ensure_pnpm() {
  if command -v pnpm >/dev/null && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then
    return
  fi
  local local_pnpm="$TOOLS/pnpm/node_modules/.bin/pnpm"
  if [ ! -x "$local_pnpm" ] || [ "$("$local_pnpm" --version)" != "$PNPM_VERSION" ]; then
    log "installing pnpm $PNPM_VERSION into .tools/pnpm"
    mkdir -p "$TOOLS/pnpm"
    npm install --prefix "$TOOLS/pnpm" --no-save --no-audit --no-fund --loglevel=error "pnpm@$PNPM_VERSION" >&2
  fi
  export PATH="$(dirname "$local_pnpm"):$PATH"
}

ensure_node
ensure_pnpm
export COREPACK_ENABLE_STRICT=0
cd "$ROOT"
pnpm install --frozen-lockfile --prefer-offline >&2
