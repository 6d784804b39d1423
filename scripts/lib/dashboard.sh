# Sourced by scripts/dev: builds the dashboard the API serves at /dashboard when there is no build yet
# or its sources changed since (a warm start skips it).
ensure_dashboard_build() {
  local app="$ROOT/apps/dashboard"
  local built="$app/dist/index.html"
  if [ -f "$built" ] && [ -z "$(find "$app/src" "$app/index.html" "$app/vite.config.ts" "$ROOT/packages/contracts/src" -newer "$built" -print -quit)" ]; then
    return
  fi
  log "building the dashboard (apps/dashboard/dist)"
  pnpm --filter @callbridge/dashboard build >&2
}

ensure_dashboard_build
