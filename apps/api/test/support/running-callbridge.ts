import { type LocalSupabase, startLocalSupabase } from '@callbridge/supabase-local';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { TEST_WEBHOOK_SECRET, vapiHmacHeaders } from './sign-webhook.ts';

export const CALLBRIDGE_TEST_API_KEY = 'cb_e2e_key_0f1e2d3c4b5a6978';

export interface RunningCallbridge {
  url: string;
  apiKey: string;
  webhookSecret: string;
  stack: LocalSupabase;
  /** Posts a payload to the webhook signed as VAPI signs it, over the socket. */
  postWebhook(payload: unknown): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * Callbridge listening on a free port over its own local Supabase stack, for packages whose tests
 * talk to it over HTTP as their users do (the client, the Kestra script).
 */
export async function startCallbridge(env: Record<string, string> = {}): Promise<RunningCallbridge> {
  const stack = await startLocalSupabase();
  try {
    const app = await buildApp(
      loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        SUPABASE_URL: stack.url,
        SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
        SUPABASE_TIMEOUT_MS: '2000',
        API_KEYS: CALLBRIDGE_TEST_API_KEY,
        VAPI_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        ...env,
      }),
    );
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    return {
      url,
      apiKey: CALLBRIDGE_TEST_API_KEY,
      webhookSecret: TEST_WEBHOOK_SECRET,
      stack,
      postWebhook(payload) {
        const body = JSON.stringify(payload);
        return fetch(`${url}/api/v1/vapi/webhook`, { method: 'POST', body, headers: vapiHmacHeaders(body) });
      },
      async stop() {
        await app.close();
        await stack.stop();
      },
    };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}
