import type { KestraAuth, KestraMajorVersion } from '@callbridge/kestra-client';
import type { KestraPushPolicy } from '../lib/kestra-push-policy.ts';
import type { KestraTenantRule } from '../lib/kestra-push-target.ts';
import type { AppConfig } from './config-schema.ts';

export interface KestraPushSettings {
  baseUrl: string;
  /** Which resume route Kestra has. */
  kestraMajorVersion: KestraMajorVersion;
  /** For calls whose metadata names no kestraTenant. */
  defaultTenant: string;
  /** Which tenants each source may resume executions in. */
  tenants: KestraTenantRule;
  auth: KestraAuth | undefined;
  requestTimeoutMs: number;
  pollIntervalMs: number;
  policy: KestraPushPolicy;
}

/** Turns the KESTRA_* variables into the push's settings; undefined (no push) without KESTRA_URL. */
export function kestraPushSettings(config: AppConfig): KestraPushSettings | undefined {
  if (!config.KESTRA_URL) return undefined;
  let auth: KestraAuth | undefined;
  if (config.KESTRA_API_TOKEN) auth = { type: 'bearer', token: config.KESTRA_API_TOKEN };
  else if (config.KESTRA_USERNAME && config.KESTRA_PASSWORD)
    auth = { type: 'basic', username: config.KESTRA_USERNAME, password: config.KESTRA_PASSWORD };
  return {
    baseUrl: config.KESTRA_URL,
    kestraMajorVersion: config.KESTRA_MAJOR_VERSION,
    defaultTenant: config.KESTRA_TENANT,
    tenants: {
      defaultTenant: config.KESTRA_TENANT,
      defaultSourceTenants: config.KESTRA_ALLOWED_TENANTS ?? [config.KESTRA_TENANT],
    },
    auth,
    requestTimeoutMs: config.KESTRA_TIMEOUT_MS,
    pollIntervalMs: config.KESTRA_PUSH_POLL_INTERVAL_MS,
    policy: {
      maxAgeMs: config.KESTRA_PUSH_MAX_AGE_SECONDS * 1000,
      retry: { baseDelayMs: config.KESTRA_PUSH_RETRY_BASE_MS, maxDelayMs: config.KESTRA_PUSH_RETRY_MAX_MS },
    },
  };
}
