import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { metric, readiness, untilDrained, useSpoolStack } from '../../support/spool-stack.ts';
import { freezeStack } from '../../support/stack-freeze.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';
import { sendWebhook } from '../../support/webhook-load.ts';

const spooling = useSpoolStack();

/** Record boundaries read from the bytes as the format says: magic, u32 LE length, CRC, payload. */
function recordsIn(buffer: Buffer): Array<{ offset: number; length: number }> {
  const records: Array<{ offset: number; length: number }> = [];
  for (let offset = 0; offset + 12 <= buffer.length; ) {
    const length = buffer.readUInt32LE(offset + 4);
    records.push({ offset, length });
    offset += 12 + length;
  }
  return records;
}

async function finalCalls(callIds: string[]): Promise<string[]> {
  const rows = await spooling.query<{ call_id: string }>(
    'select call_id from vapi_call_results where call_id = any($1) and report_received_at is not null',
    [callIds],
  );
  return rows.map((row) => row.call_id).sort();
}

async function eventCount(callIds: string[]): Promise<number> {
  const [row] = await spooling.query<{ n: number }>(
    'select count(*)::int as n from vapi_webhook_events where call_id = any($1)',
    [callIds],
  );
  return row?.n ?? 0;
}

describe('a spool damaged while its instance was down', () => {
  it('a flipped byte and a torn last record are reported (log, metric, kept aside); the good records drain', async () => {
    const dir = await spooling.spoolDir();
    const first = await spooling.startApi(dir);
    const callIds = Array.from({ length: 5 }, () => uniqueCallId('damaged'));
    const frozen = freezeStack(spooling.stack());
    try {
      for (const callId of callIds) {
        const answer = await sendWebhook(first.url, vapiFixture('end-of-call-report', callId));
        expect(answer.status, first.output()).toBe(200);
      }
      first.child.kill('SIGKILL');
      await first.exited;
    } finally {
      frozen.thaw();
    }

    const [segment] = (await readdir(dir)).filter((name) => name.endsWith('.log'));
    const file = path.join(dir, segment as string);
    const bytes = await readFile(file);
    const records = recordsIn(bytes);
    expect(records).toHaveLength(5);
    const [, flipped, , , torn] = records as Array<{ offset: number; length: number }>;
    // One byte of the second record's payload, and the last record cut in half as a crash mid-write would.
    const at = (flipped?.offset ?? 0) + 12 + Math.floor((flipped?.length ?? 0) / 2);
    bytes[at] = (bytes[at] as number) ^ 0x01;
    await writeFile(file, bytes);
    await truncate(file, (torn?.offset ?? 0) + 12 + Math.floor((torn?.length ?? 0) / 2));

    const second = await spooling.startApi(dir);
    await untilDrained(second, 30_000);

    expect(await finalCalls(callIds)).toEqual([callIds[0], callIds[2], callIds[3]].sort());
    expect(await eventCount([callIds[1] as string, callIds[4] as string])).toBe(0);
    expect(await metric(second, 'callbridge_spool_corrupt_records_total', { kind: 'corrupt' })).toBe(1);
    expect(await metric(second, 'callbridge_spool_corrupt_records_total', { kind: 'torn' })).toBe(1);
    const reports = second
      .output()
      .split('\n')
      .filter((line) => line.includes('damaged spool record found'))
      .map((line) => JSON.parse(line) as { kind: string; keptIn: string; level: number });
    expect(reports.map((report) => report.kind).sort()).toEqual(['corrupt', 'torn']);
    expect(reports.every((report) => report.level >= 50)).toBe(true);
    // The damaged bytes are kept for an operator, not deleted.
    const keptIn = reports[0]?.keptIn as string;
    expect((await stat(keptIn)).size).toBeGreaterThan((flipped?.length ?? 0) / 2);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 90_000);
});

describe('a spool at SPOOL_MAX_BYTES', () => {
  it('answers 503, loses nothing already spooled, and no delivery answered 503 is stored afterwards', async () => {
    // About four basic reports fit (a record is the delivery plus its framing and metadata).
    const reportBytes = Buffer.byteLength(
      JSON.stringify(vapiFixture('end-of-call-report', uniqueCallId('capped'))),
    );
    const api = await spooling.startApi(await spooling.spoolDir(), {
      SPOOL_MAX_BYTES: String(5 * reportBytes),
      WEBHOOK_STORE_BUDGET_MS: '4000',
    });
    const callIds = Array.from({ length: 12 }, () => uniqueCallId('capped'));
    const frozen = freezeStack(spooling.stack());
    let answers: Array<{ status: number; ms: number }>;
    let whileFull: Awaited<ReturnType<typeof readiness>>;
    try {
      answers = await Promise.all(
        callIds.map((callId) => sendWebhook(api.url, vapiFixture('end-of-call-report', callId))),
      );
      whileFull = await readiness(api);
    } finally {
      frozen.thaw();
    }
    const spooled = callIds.filter((_, index) => answers[index]?.status === 200);
    const refused = callIds.filter((_, index) => answers[index]?.status === 503);
    expect(spooled.length + refused.length, api.output()).toBe(callIds.length);
    expect(spooled.length).toBeGreaterThanOrEqual(3);
    expect(refused.length).toBeGreaterThanOrEqual(6);
    // Full and the database away: load balancers are told, and the refusals are counted for alerts.
    expect(whileFull.status).toBe(503);
    expect(whileFull.body.spool).toMatchObject({ accepting: false, depth: spooled.length });
    expect(await metric(api, 'callbridge_spool_refused_total', { reason: 'full' })).toBe(refused.length);

    await untilDrained(api, 30_000);
    // The refused deliveries' store attempts were queued in the frozen PostgREST; they ran after SIGCONT,
    // past their deadline, and rolled back. Give any of them time to land before looking.
    await sleep(3000);
    expect(await finalCalls(callIds)).toEqual([...spooled].sort());
    expect(await eventCount(refused)).toBe(0);
    expect(await eventCount(spooled)).toBe(spooled.length);

    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
  }, 90_000);
});
