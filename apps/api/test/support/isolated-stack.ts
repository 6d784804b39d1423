import { type LocalSupabase, startLocalSupabase } from '@callbridge/supabase-local';
import { afterAll, beforeAll } from 'vitest';
import { buildTestApp, type TestApp } from './test-app.ts';

/**
 * A local Supabase stack and app of the calling file's own, for tests that take PostgREST down:
 * the shared stack stays up for every other file running meanwhile.
 */
export function useIsolatedStack(env: Record<string, string> = {}): {
  stack: () => LocalSupabase;
  app: () => TestApp;
} {
  let stack: LocalSupabase | undefined;
  let app: TestApp | undefined;
  beforeAll(async () => {
    stack = await startLocalSupabase();
    app = await buildTestApp({
      SUPABASE_URL: stack.url,
      SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
      SUPABASE_TIMEOUT_MS: '2000',
      ...env,
    });
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
  });
  const required = <T>(value: T | undefined): T => {
    if (!value) throw new Error('the isolated stack is only available inside tests');
    return value;
  };
  return { stack: () => required(stack), app: () => required(app) };
}
