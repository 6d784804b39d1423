import { inject } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';

/** Environment for an app wired to the run's local Supabase stack; tests override single variables. */
export function testEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const supabase = inject('supabase');
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SUPABASE_URL: supabase.url,
    SUPABASE_SERVICE_ROLE_KEY: supabase.serviceRoleKey,
    ...overrides,
  };
}

export async function buildTestApp(overrides: Record<string, string> = {}) {
  const app = await buildApp(loadConfig(testEnv(overrides)));
  await app.ready();
  return app;
}
