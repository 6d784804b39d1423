import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../src/lib/prepare-vapi-delivery.ts';
import { SPOOL_RECORD_HEADER_BYTES } from '../../../src/lib/spool-record.ts';
import { SpoolFullError, SpoolJournal } from '../../../src/services/spool-journal.ts';
import { SpoolLockedError } from '../../../src/services/spool-lock.ts';

const dirs: string[] = [];
const open: SpoolJournal[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((journal) => journal.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function spoolDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'callbridge-spool-'));
  dirs.push(dir);
  return dir;
}

async function openJournal(dir: string, options: { maxBytes?: number; segmentBytes?: number } = {}) {
  const damage: Array<{ kind: string; keptIn: string }> = [];
  const syncs: number[] = [];
  const journal = await SpoolJournal.open({
    dir,
    maxBytes: options.maxBytes ?? 10_000_000,
    segmentBytes: options.segmentBytes ?? 1_000_000,
    onDamage: (range) => damage.push(range),
    onSync: (seconds) => syncs.push(seconds),
  });
  open.push(journal);
  return { journal, damage, syncs };
}

async function closeJournal(journal: SpoolJournal) {
  open.splice(open.indexOf(journal), 1);
  await journal.close();
}

function record(n: number, callId = `call-${n}`): EventRecord {
  return {
    deliveryId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    sourceId: null,
    callId,
    eventType: 'end-of-call-report',
    eventAt: new Date(1_700_000_000_000 + n).toISOString(),
    payloadBytes: 10,
    outcome: 'stored',
    errorCode: null,
    payload: { message: { type: 'end-of-call-report', n } },
    sanitized: null,
    isReport: true,
    fields: {},
  };
}

const ids = (records: EventRecord[]) => records.map((item) => item.deliveryId);
const segmentFiles = async (dir: string) =>
  (await readdir(dir)).filter((name) => name.endsWith('.log')).sort();

describe('the spool journal', () => {
  it('hands back appended records oldest first, and again after a restart', async () => {
    const dir = await spoolDir();
    const { journal } = await openJournal(dir);
    for (const n of [1, 2, 3]) await journal.append(record(n));
    expect(journal.depth).toBe(3);
    await closeJournal(journal);

    const reopened = (await openJournal(dir)).journal;
    expect(reopened.depth).toBe(3);
    expect(ids(await reopened.read(reopened.oldest(10)))).toEqual(ids([record(1), record(2), record(3)]));
  });

  it('journals the parsed payload of a record carrying its received bytes, and not the bytes', async () => {
    const dir = await spoolDir();
    const { journal } = await openJournal(dir);
    const received = { ...record(1), payloadJson: Buffer.from('{"message":{"received":true}}') };
    await journal.append(received);
    await closeJournal(journal);

    const reopened = (await openJournal(dir)).journal;
    const [back] = await reopened.read(reopened.oldest(1));
    expect(back).toEqual(record(1));
    expect(back).not.toHaveProperty('payloadJson');
  });

  it('concurrent appends share one fdatasync', async () => {
    const { journal, syncs } = await openJournal(await spoolDir());
    await journal.append(record(0));
    const before = syncs.length;
    await Promise.all(Array.from({ length: 20 }, (_, n) => journal.append(record(n + 1))));
    // The first of the 20 may start a round alone; the other 19 wait for the next one.
    expect(syncs.length - before).toBeLessThanOrEqual(2);
    expect(journal.depth).toBe(21);
  });

  it('a record drained is gone after a restart once its segment is freed; the rest stays', async () => {
    const dir = await spoolDir();
    const { journal } = await openJournal(dir, { segmentBytes: 1 });
    for (const n of [1, 2, 3]) await journal.append(record(n));
    expect(await segmentFiles(dir)).toHaveLength(3);
    await journal.markDrained(2);
    expect(await segmentFiles(dir)).toHaveLength(1);
    await closeJournal(journal);
    const reopened = (await openJournal(dir)).journal;
    expect(ids(await reopened.read(reopened.oldest(10)))).toEqual(ids([record(3)]));
    await reopened.markDrained(1);
    expect(await segmentFiles(dir)).toEqual([]);
    expect(reopened.bytes).toBe(0);
  });

  it('a torn last record is reported and kept aside; the good records drain', async () => {
    const dir = await spoolDir();
    const { journal } = await openJournal(dir);
    for (const n of [1, 2, 3]) await journal.append(record(n));
    await closeJournal(journal);
    const [file] = await segmentFiles(dir);
    const full = path.join(dir, file as string);
    const size = (await readFile(full)).length;
    await truncate(full, size - 7);

    const { journal: reopened, damage } = await openJournal(dir);
    expect(damage.map((range) => range.kind)).toEqual(['torn']);
    expect(ids(await reopened.read(reopened.oldest(10)))).toEqual(ids([record(1), record(2)]));
    expect((await readdir(dir)).filter((name) => name.endsWith('.corrupt'))).toHaveLength(1);
  });

  it('a flipped byte is reported as corrupt and kept aside; the records around it drain', async () => {
    const dir = await spoolDir();
    const { journal } = await openJournal(dir);
    for (const n of [1, 2, 3]) await journal.append(record(n));
    const [, second] = journal.oldest(3);
    await closeJournal(journal);
    const [file] = await segmentFiles(dir);
    const full = path.join(dir, file as string);
    const bytes = await readFile(full);
    const at = (second?.offset ?? 0) + SPOOL_RECORD_HEADER_BYTES + 20;
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    await writeFile(full, bytes);

    const { journal: reopened, damage } = await openJournal(dir);
    expect(damage.map((range) => range.kind)).toEqual(['corrupt']);
    expect(ids(await reopened.read(reopened.oldest(10)))).toEqual(ids([record(1), record(3)]));
    const kept = await readFile(damage[0]?.keptIn as string);
    expect(kept.length).toBe(second?.bytes);
  });

  it('at SPOOL_MAX_BYTES refuses the next append and keeps everything it holds', async () => {
    const dir = await spoolDir();
    const { journal } = await openJournal(dir, { maxBytes: 1500 });
    let accepted = 0;
    let refusal: unknown;
    for (let n = 1; n <= 20 && !refusal; n++) {
      try {
        await journal.append(record(n));
        accepted++;
      } catch (error) {
        refusal = error;
      }
    }
    expect(refusal).toBeInstanceOf(SpoolFullError);
    expect(accepted).toBeGreaterThan(0);
    expect(journal.bytes).toBeLessThanOrEqual(1500);
    expect(journal.depth).toBe(accepted);
    await closeJournal(journal);
    expect((await openJournal(dir)).journal.depth).toBe(accepted);
  });

  it('a second open of the same directory is refused, in this process and from another one', async () => {
    const dir = await spoolDir();
    await openJournal(dir);
    await expect(openJournal(dir)).rejects.toBeInstanceOf(SpoolLockedError);
  });

  it('a lock left by a process that is gone (SIGKILL) is taken over at once', async () => {
    const dir = await spoolDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    await once(child, 'spawn');
    await writeFile(path.join(dir, 'spool.lock'), JSON.stringify({ pid: child.pid, host: hostname() }));
    await expect(openJournal(dir)).rejects.toBeInstanceOf(SpoolLockedError);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const { journal } = await openJournal(dir);
    expect(journal.depth).toBe(0);
  });
});
