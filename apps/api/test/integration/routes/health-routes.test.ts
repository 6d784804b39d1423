import { type LocalSupabase, startLocalSupabase } from '@callbridge/supabase-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../support/test-app.ts';

// A stack of its own: stopping its PostgREST must not disturb other test files.
let stack: LocalSupabase;
let app: TestApp;

beforeAll(async () => {
  stack = await startLocalSupabase();
  app = await buildTestApp({
    SUPABASE_URL: stack.url,
    SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
    SUPABASE_TIMEOUT_MS: '2000',
  });
});

afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

describe('GET /health', () => {
  it('answers 200 while the process is up', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok' });
  });
});

describe('GET /ready', () => {
  it('answers 200 when the database answers through PostgREST', async () => {
    const response = await app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', database: 'reachable' });
  });

  it('goes 503 while PostgREST is down and back to 200 when it returns', async () => {
    await stack.stopRest();
    const down = await app.inject({ method: 'GET', url: '/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({
      success: false,
      error: 'Service Unavailable',
      message: 'Database not reachable',
      requestId: down.headers['x-request-id'],
    });

    await stack.startRest();
    const back = await app.inject({ method: 'GET', url: '/ready' });
    expect(back.statusCode).toBe(200);
  });
});
