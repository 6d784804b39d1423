import { inject } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { TEST_WEBHOOK_SECRET, vapiHmacHeaders } from './sign-webhook.ts';

export const TEST_API_KEY = 'cb_test_key_5f1e2d3c4b5a6978';

/** Environment for an app wired to the run's local Supabase stack; tests override single variables. */
export function testEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const supabase = inject('supabase');
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SUPABASE_URL: supabase.url,
    SUPABASE_SERVICE_ROLE_KEY: supabase.serviceRoleKey,
    API_KEYS: TEST_API_KEY,
    VAPI_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    ...overrides,
  };
}

export async function buildTestApp(overrides: Record<string, string> = {}) {
  const app = await buildApp(loadConfig(testEnv(overrides)));
  await app.ready();
  return app;
}

export type TestApp = Awaited<ReturnType<typeof buildTestApp>>;

/** Posts a payload signed as VAPI signs it. */
export function postWebhook(app: TestApp, payload: unknown, url = '/api/v1/vapi/webhook') {
  return postSignedBody(app, JSON.stringify(payload), url);
}

/** Posts exact body text, signed: for bodies JSON.stringify would not produce. */
export function postSignedBody(app: TestApp, body: string, url = '/api/v1/vapi/webhook') {
  return app.inject({ method: 'POST', url, payload: body, headers: vapiHmacHeaders(body) });
}

export function getCall(app: TestApp, callId: string) {
  return app.inject({
    method: 'GET',
    url: `/api/v1/vapi/calls/${encodeURIComponent(callId)}`,
    headers: { authorization: `Bearer ${TEST_API_KEY}` },
  });
}
