/** Local-only settings `scripts/dev` and `pnpm simulate-call` fall back to, so they agree without setup. */
export const DEV_DEFAULTS = {
  NODE_ENV: 'development',
  // No load balancer to wait for locally: Ctrl-C finishes what is in flight and stops.
  SHUTDOWN_DRAIN_DELAY_MS: '0',
  API_KEYS: 'local-dev-api-key-0123456789',
  VAPI_WEBHOOK_SECRET: 'local-dev-webhook-secret',
  SIMULATOR_ENABLED: 'true',
  ADMIN_API_KEYS: 'local-dev-admin-key-0123456789',
  // 32 bytes, base64: encrypts source secrets in the local database only.
  SOURCE_SECRETS_KEY: 'bG9jYWwtZGV2LXNvdXJjZS1zZWNyZXRzLWtleS0zMmI=',
} as const;
