# Sourced by scripts/test: the browser tests drive Debian's chromium through playwright-core. CI starts
# from a clean machine that reaches only the npm registry and Debian's archive, so install it from there.
ensure_chromium() {
  local browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
  [ -x "$browser" ] && return
  command -v apt-get >/dev/null || { log "no $browser and no apt-get: install Chromium and set CHROMIUM_PATH"; exit 1; }
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "installing Debian's chromium for the browser tests"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >&2
  [ -x "$browser" ] || { log "chromium did not install at $browser"; exit 1; }
}

ensure_chromium
