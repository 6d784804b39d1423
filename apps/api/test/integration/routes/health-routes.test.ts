import { describe, expect, it } from 'vitest';
import { useIsolatedStack } from '../../support/isolated-stack.ts';

const isolated = useIsolatedStack();

describe('GET /health', () => {
  it('answers 200 while the process is up', async () => {
    const response = await isolated.app().inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok' });
  });
});

describe('GET /ready', () => {
  it('answers 200 when the database answers through PostgREST', async () => {
    const response = await isolated.app().inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', database: 'reachable', resultListener: 'off' });
  });

  it('goes 503 while PostgREST is down and back to 200 when it returns', async () => {
    await isolated.stack().stopRest();
    const down = await isolated.app().inject({ method: 'GET', url: '/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({
      success: false,
      error: 'Service Unavailable',
      message: 'Database not reachable',
      requestId: down.headers['x-request-id'],
    });

    await isolated.stack().startRest();
    const back = await isolated.app().inject({ method: 'GET', url: '/ready' });
    expect(back.statusCode).toBe(200);
  });
});
