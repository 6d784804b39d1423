import { KESTRA_TEST_AUTH, type KestraStandIn, startKestraStandIn } from '@callbridge/kestra-client/testing';
import { type LocalSupabase, startLocalSupabase } from '@callbridge/supabase-local';
import type { FastifyServerOptions } from 'fastify';
import pg from 'pg';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { type TestApp, testEnv } from './test-app.ts';

export interface PushStack {
  stack: () => LocalSupabase;
  kestra: () => KestraStandIn;
  /** An app with push configured against the stand-in (fast retries); closed after each test. */
  buildApp: (overrides?: Record<string, string>, logger?: FastifyServerOptions['logger']) => Promise<TestApp>;
  /** An app on the same stack without KESTRA_URL. */
  buildAppWithoutPush: (overrides?: Record<string, string>) => Promise<TestApp>;
  query: <Row extends Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<Row[]>;
  /** Runs statements on one connection, for transactions and transaction-local settings. */
  withClient: <T>(use: (client: pg.Client) => Promise<T>) => Promise<T>;
}

/**
 * A local Supabase stack and a Kestra stand-in of the calling file's own: a push-enabled app enqueues
 * every Kestra call that ended in its database, so other files' calls must not be in it.
 */
export function usePushStack(): PushStack {
  let stack: LocalSupabase | undefined;
  let kestra: KestraStandIn | undefined;
  const apps = new Set<TestApp>();

  beforeAll(async () => {
    stack = await startLocalSupabase();
    kestra = await startKestraStandIn();
  });
  afterEach(async () => {
    await Promise.all([...apps].map((app) => app.close()));
    apps.clear();
  });
  afterAll(async () => {
    await kestra?.close();
    await stack?.stop();
  });

  const required = <T>(value: T | undefined): T => {
    if (!value) throw new Error('the push stack is only available inside tests');
    return value;
  };
  const build = async (env: Record<string, string>, logger?: FastifyServerOptions['logger']) => {
    const config = loadConfig(
      testEnv({
        SUPABASE_URL: required(stack).url,
        SUPABASE_SERVICE_ROLE_KEY: required(stack).serviceRoleKey,
        SUPABASE_TIMEOUT_MS: '2000',
        ...env,
      }),
    );
    const app = await buildApp(config, logger === undefined ? {} : { logger });
    apps.add(app);
    await app.ready();
    return app;
  };
  const withClient = async <T>(use: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: required(stack).dbUrl });
    await client.connect();
    try {
      return await use(client);
    } finally {
      await client.end();
    }
  };

  return {
    stack: () => required(stack),
    kestra: () => required(kestra),
    buildApp: (overrides = {}, logger = undefined) =>
      build(
        {
          KESTRA_URL: required(kestra).url,
          KESTRA_USERNAME: KESTRA_TEST_AUTH.username,
          KESTRA_PASSWORD: KESTRA_TEST_AUTH.password,
          KESTRA_PUSH_POLL_INTERVAL_MS: '100',
          KESTRA_PUSH_RETRY_BASE_MS: '50',
          KESTRA_PUSH_RETRY_MAX_MS: '200',
          ...overrides,
        },
        logger,
      ),
    buildAppWithoutPush: (overrides = {}) => build(overrides),
    query: async <Row extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
      withClient(async (client) => (await client.query<Row>(sql, params)).rows),
    withClient,
  };
}

let sequence = 0;

/** A Kestra-like execution id, unique in the run. */
export function uniqueExecutionId(): string {
  sequence++;
  return `${Date.now().toString(36)}${sequence.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** The payload with the call's assistantOverrides.metadata naming a Kestra execution (and tenant). */
export function forExecution(
  payload: Record<string, unknown>,
  metadata: { kestraExecutionId?: string; kestraTenant?: string; [key: string]: unknown },
): Record<string, unknown> {
  const copy = structuredClone(payload) as {
    message: { call: { assistantOverrides?: Record<string, unknown> } };
  };
  copy.message.call.assistantOverrides = { ...copy.message.call.assistantOverrides, metadata };
  return copy;
}

/** A status update saying the call ended at `endedAt`, with no report to follow. */
export function endedWithoutReport(payload: Record<string, unknown>, endedAt: Date): Record<string, unknown> {
  const copy = structuredClone(payload) as {
    message: Record<string, unknown> & { call: Record<string, unknown> };
  };
  copy.message.endedReason = 'customer-did-not-answer';
  copy.message.timestamp = endedAt.getTime();
  copy.message.call.endedAt = endedAt.toISOString();
  return copy;
}
