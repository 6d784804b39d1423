import { ConfigError, loadConfig } from '../../src/config/load-config.ts';

/** The least environment loadConfig accepts; tests add or override single variables. */
export const validEnv = {
  SUPABASE_URL: 'https://abc.supabase.co',
  SUPABASE_SERVICE_ROLE_KEY: 'service-role-key-value',
  API_KEYS: 'kestra-key-0123456789',
  VAPI_WEBHOOK_SECRET: 'whsec-abc-0123456789',
  // NODE_ENV defaults to production, where /metrics needs a token or its own port.
  METRICS_TOKEN: 'metrics-token-0123456789',
};

/** The problems loadConfig names for this environment; fails the test when it accepts it. */
export function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
