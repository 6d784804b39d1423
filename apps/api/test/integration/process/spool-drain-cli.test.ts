import { execFile } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useSpoolStack } from '../../support/spool-stack.ts';
import { freezeStack } from '../../support/stack-freeze.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';
import { sendWebhook } from '../../support/webhook-load.ts';

const repoRoot = fileURLToPath(new URL('../../../../..', import.meta.url));
const spooling = useSpoolStack();
/** As docs/operations.md shows it (test/unit/docs/doc-commands.test.ts keeps the two the same). */
const DRAIN_COMMAND = 'pnpm --filter @callbridge/api spool:drain';

/** The drain command as an operator runs it; resolves with its exit code and what it printed. */
async function drainCommand(dir: string, args: string[] = [], env: Record<string, string> = {}) {
  const [command, ...commandArgs] = DRAIN_COMMAND.split(' ');
  try {
    const { stderr } = await promisify(execFile)(command as string, [...commandArgs, dir, ...args], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        SUPABASE_URL: spooling.stack().url,
        SUPABASE_SERVICE_ROLE_KEY: spooling.stack().serviceRoleKey,
        SUPABASE_TIMEOUT_MS: '3000',
        ...env,
      },
    });
    return { code: 0, output: stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, output: failed.stderr };
  }
}

describe('spool:drain, for the spool of an instance that will not come back', () => {
  it('stores every delivery the dead instance acknowledged, once, and leaves the spool empty; a lock from another host needs --take-over', async () => {
    const dir = await spooling.spoolDir();
    const dead = await spooling.startApi(dir);
    const callIds = Array.from({ length: 6 }, () => uniqueCallId('orphaned'));
    const frozen = freezeStack(spooling.stack());
    try {
      for (const callId of callIds) {
        expect((await sendWebhook(dead.url, vapiFixture('end-of-call-report', callId))).status).toBe(200);
      }
      dead.child.kill('SIGKILL');
      await dead.exited;
    } finally {
      frozen.thaw();
    }
    // As if its pod had run on a node that is gone: the lock names another host.
    await writeFile(path.join(dir, 'spool.lock'), JSON.stringify({ pid: 1, host: 'node-that-is-gone' }));

    const refused = await drainCommand(dir);
    expect(refused.code, refused.output).toBe(2);
    expect(refused.output).toContain('--take-over');

    const drained = await drainCommand(dir, ['--take-over']);
    expect(drained.code, drained.output).toBe(0);
    expect(drained.output).toContain('6 deliveries spooled');
    expect(drained.output).toContain('the spool is empty');
    const rows = await spooling.query<{ call_id: string; events: number }>(
      `select r.call_id, (select count(*)::int from vapi_webhook_events e where e.call_id = r.call_id) as events
       from vapi_call_results r where r.call_id = any($1) and r.report_received_at is not null`,
      [callIds],
    );
    expect(rows.map((row) => row.call_id).sort()).toEqual([...callIds].sort());
    expect(rows.every((row) => row.events === 1)).toBe(true);
    // Nothing left to drain, and the lock released.
    expect((await readdir(dir)).filter((name) => name.endsWith('.log') || name === 'spool.lock')).toEqual([]);

    // A second run (an operator unsure whether the first finished) changes nothing.
    const again = await drainCommand(dir);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('0 deliveries spooled');
  }, 90_000);

  it('refuses without a database to drain into, saying how to call it', async () => {
    const result = await drainCommand(await spooling.spoolDir(), [], { SUPABASE_URL: '' });
    expect(result.code).toBe(2);
    expect(result.output).toContain('usage:');
  });
});
