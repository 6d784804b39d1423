import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSupabase, startLocalSupabase } from '../src/index.ts';

let stack: LocalSupabase;
beforeAll(async () => {
  stack = await startLocalSupabase();
});
afterAll(() => stack.stop());

async function restAnswers(): Promise<boolean> {
  const response = await fetch(`${stack.url}/rest/v1/vapi_call_results?select=call_id&limit=1`, {
    headers: { apikey: stack.serviceRoleKey },
    signal: AbortSignal.timeout(2000),
  }).catch(() => undefined);
  return response?.status === 200;
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const startedAt = Date.now();
  while (Date.now() - startedAt < timeoutMs) {
    if (await check()) return Date.now() - startedAt;
    await sleep(100);
  }
  throw new Error(`not true after ${timeoutMs} ms`);
}

/** The effective user id of a process, from /proc. */
function uidOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^Uid:\s+\d+\s+(\d+)/m.exec(status)?.[1]);
}

describe('the local stack heals itself', () => {
  it('restarts PostgREST when it is killed', async () => {
    const before = stack.pids().postgrest;
    expect(before).toBeDefined();
    process.kill(before as number, 'SIGKILL');
    await eventually(async () => stack.pids().postgrest !== before && (await restAnswers()), 15_000);
  });

  it('restarts Postgres when it is killed, and the API path works again', async () => {
    const before = stack.pids().postgres;
    expect(before).toBeDefined();
    process.kill(before as number, 'SIGKILL');
    await eventually(async () => stack.pids().postgres !== before && (await restAnswers()), 30_000);
    const db = new pg.Client({ connectionString: stack.dbUrl });
    await db.connect();
    await db.end();
  });

  it('never runs Postgres as root', () => {
    expect(uidOf(stack.pids().postgres as number)).not.toBe(0);
  });

  it('keeps a stopped PostgREST stopped until asked to start it', async () => {
    await stack.stopRest();
    await sleep(1000);
    expect(await restAnswers()).toBe(false);
    await stack.startRest();
    expect(await restAnswers()).toBe(true);
  });
});
