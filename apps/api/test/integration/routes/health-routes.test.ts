import pg from 'pg';
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

  it('goes 503 while the schema lacks the webhook store (migrations not applied), 200 once it has it', async () => {
    const db = new pg.Client({ connectionString: isolated.stack().dbUrl });
    await db.connect();
    /** PostgREST reloads its schema cache on NOTIFY, a moment later: ask until the answer is `status`. */
    const readyBecomes = async (status: number) => {
      let answer = 0;
      for (let attempt = 0; attempt < 50 && answer !== status; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
        answer = (await isolated.app().inject({ method: 'GET', url: '/ready' })).statusCode;
      }
      return answer;
    };
    try {
      await db.query(`alter function public.ingest_vapi_deliveries(text) rename to ingest_vapi_deliveries_hidden;
        notify pgrst, 'reload schema'`);
      expect(await readyBecomes(503)).toBe(503);
    } finally {
      await db.query(`alter function public.ingest_vapi_deliveries_hidden(text) rename to ingest_vapi_deliveries;
        notify pgrst, 'reload schema'`);
      await db.end();
    }
    expect(await readyBecomes(200)).toBe(200);
  });
});
