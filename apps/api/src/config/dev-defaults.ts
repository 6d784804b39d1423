/** Local-only settings `scripts/dev` and `pnpm simulate-call` fall back to, so they agree without setup. */
export const DEV_DEFAULTS = {
  NODE_ENV: 'development',
  // No load balancer to wait for locally: Ctrl-C finishes what is in flight and stops.
  SHUTDOWN_DRAIN_DELAY_MS: '0',
  API_KEYS: 'local-dev-api-key-0123456789',
  VAPI_WEBHOOK_SECRET: 'local-dev-webhook-secret',
  SIMULATOR_ENABLED: 'true',
} as const;
