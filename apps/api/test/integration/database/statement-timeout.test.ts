import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceClient } from '../../support/admin.ts';
import { queryDb } from '../../support/database.ts';

// Issue 18, finding 4: the role PostgREST impersonates for every API request (service_role) has a
// statement timeout, so a query left running after its client gave up is cancelled by Postgres. The
// probe is called the way the API calls the database: supabase-js, the service key, real PostgREST.
const PROBE = 'callbridge_test_sleep_probe';

beforeAll(async () => {
  await queryDb(
    `create or replace function public.${PROBE}(seconds double precision) returns text
     language sql set search_path = '' as $$
       select pg_catalog.pg_sleep(seconds);
       select pg_catalog.current_setting('statement_timeout');
     $$`,
  );
  await queryDb(`grant execute on function public.${PROBE}(double precision) to service_role`);
  await queryDb("notify pgrst, 'reload schema'");
  // PostgREST reloads its schema cache asynchronously.
  for (let tries = 0; (await serviceClient().rpc(PROBE, { seconds: 0 })).error; tries++) {
    if (tries > 100) throw new Error(`PostgREST never saw ${PROBE}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});
afterAll(async () => {
  await queryDb(`drop function if exists public.${PROBE}(double precision)`);
  await queryDb("notify pgrst, 'reload schema'");
});

describe('the service role’s statement timeout', () => {
  it('is 30 s on every request PostgREST makes as service_role', async () => {
    const answer = await serviceClient().rpc(PROBE, { seconds: 0 });
    expect(answer.error).toBeNull();
    expect(answer.data).toBe('30s');
  });

  it('cancels a statement that runs past it, and the backend is gone afterwards', async () => {
    const started = Date.now();
    const answer = await serviceClient().rpc(PROBE, { seconds: 45 });
    const elapsed = Date.now() - started;
    expect(answer.data).toBeNull();
    expect(answer.error).toMatchObject({
      code: '57014',
      message: 'canceling statement due to statement timeout',
    });
    // Cancelled by the 30 s timeout, not by the client or the 45 s sleep ending.
    expect(elapsed).toBeGreaterThanOrEqual(29_000);
    expect(elapsed).toBeLessThan(44_000);
    const stillRunning = await queryDb(
      "select 1 from pg_stat_activity where state = 'active' and query like $1",
      [`%${PROBE}%`],
    );
    expect(stillRunning).toEqual([]);
  }, 60_000);
});
