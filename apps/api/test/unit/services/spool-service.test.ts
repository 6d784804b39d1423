import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../src/lib/prepare-vapi-delivery.ts';
import { ALL_SOURCES } from '../../../src/lib/read-scope.ts';
import { SpoolFullError } from '../../../src/services/spool-journal.ts';
import { SpoolService } from '../../../src/services/spool-service.ts';

const SOURCE_A = '5b8f2c1e-7d3a-4e9b-8c6f-1a2b3c4d5e6f';
const SOURCE_B = '9e1d4c7b-2a5f-4b8e-9d3c-6f5e4d3c2b1a';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A spool whose database never answers: nothing drains while the test looks. */
async function openSpool(maxBytes = 10_000_000) {
  const dir = await mkdtemp(path.join(tmpdir(), 'callbridge-spool-service-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const spool = await SpoolService.open({
    afterMs: 100,
    journal: { dir, maxBytes, segmentBytes: 1_000_000 },
    drain: {
      batchSize: 10,
      retryMinMs: 60_000,
      retryMaxMs: 60_000,
      store: async () => {
        throw new Error('the database is away');
      },
    },
  });
  cleanups.push(() => spool.close());
  return spool;
}

function report(callId: string, sourceId: string | null, n = 1): EventRecord {
  return {
    deliveryId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    sourceId,
    callId,
    eventType: 'end-of-call-report',
    eventAt: '2026-12-03T10:00:00.000Z',
    receivedAt: '2026-12-03T10:00:01.000Z',
    payloadBytes: 10,
    outcome: 'stored',
    errorCode: null,
    payload: { message: { type: 'end-of-call-report', summary: 'x'.repeat(400) } },
    sanitized: null,
    isReport: true,
    fields: { status: 'ended', summary: 'spooled summary' },
  };
}

describe('the spool service', () => {
  it('shows a spooled call only to read scopes that see its source', async () => {
    const spool = await openSpool();
    await spool.append(report('call-a', SOURCE_A));
    await spool.append(report('call-default', null, 2));

    expect(spool.holds('call-a', { sourceIds: [SOURCE_A] })).toBe(true);
    expect(spool.holds('call-a', ALL_SOURCES)).toBe(true);
    expect(spool.holds('call-a', { sourceIds: [SOURCE_B] })).toBe(false);
    // A scoped key never sees the default source.
    expect(spool.holds('call-default', { sourceIds: [SOURCE_A, SOURCE_B] })).toBe(false);
    expect(await spool.pendingReport('call-a', { sourceIds: [SOURCE_B] })).toBeUndefined();
    expect((await spool.pendingReport('call-a', { sourceIds: [SOURCE_A] }))?.fields).toEqual({
      status: 'ended',
      summary: 'spooled summary',
    });
    expect(await spool.pendingReport('call-unknown', ALL_SOURCES)).toBeUndefined();
  });

  it('says it is not accepting once the cap refused a delivery, even when appends queued before it sync after', async () => {
    // Room for two records: one record's size, read from a spool that holds one.
    const probe = await openSpool();
    await probe.append(report('call-probe', null));
    const recordBytes = probe.status().bytes;
    const spool = await openSpool(recordBytes * 2 + recordBytes / 2);
    const appends = [1, 2, 3].map((n) => spool.append(report(`call-${n}`, null, n)));
    const settled = await Promise.allSettled(appends);
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((settled[2] as PromiseRejectedResult).reason).toBeInstanceOf(SpoolFullError);
    expect(spool.status()).toMatchObject({ depth: 2, accepting: false });
  });
});
