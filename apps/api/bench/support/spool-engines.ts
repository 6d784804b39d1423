import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setImmediate as nextTick } from 'node:timers/promises';
import type { EventRecord } from '../../src/lib/prepare-vapi-delivery.ts';
import { SpoolJournal } from '../../src/services/spool-journal.ts';

export interface EngineResult {
  engine: string;
  appendsPerSecond: number;
  p99Ms: number;
}

type Append = (record: EventRecord) => Promise<void>;

/** `connections` appenders in a closed loop for `seconds`, each waiting for its append to be durable. */
async function closedLoop(
  append: Append,
  record: (n: number) => EventRecord,
  connections: number,
  seconds: number,
) {
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const startedAt = performance.now();
        await append(record(n++));
        latencies.push(performance.now() - startedAt);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    appendsPerSecond: latencies.length / seconds,
    p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
  };
}

/** The journal the API uses: one write + fdatasync per group of appends. */
export async function measureJournal(
  record: (n: number) => EventRecord,
  connections: number,
  seconds: number,
): Promise<EngineResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'callbridge-bench-journal-'));
  const journal = await SpoolJournal.open({
    dir,
    maxBytes: Number.MAX_SAFE_INTEGER,
    segmentBytes: 16 * 1024 * 1024,
  });
  try {
    return {
      engine: 'journal (CRC records, group fdatasync)',
      ...(await closedLoop((r) => journal.append(r), record, connections, seconds)),
    };
  } finally {
    await journal.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * node:sqlite (experimental on Node 22; the only SQLite reachable here, native addons cannot fetch
 * prebuilt binaries) at the same durability: WAL, synchronous=FULL, the appends of one event-loop
 * turn in one transaction (its group commit). DatabaseSync blocks the event loop while it commits.
 */
export async function measureSqlite(
  record: (n: number) => EventRecord,
  connections: number,
  seconds: number,
): Promise<EngineResult> {
  const { DatabaseSync } = await import('node:sqlite');
  const dir = await mkdtemp(path.join(tmpdir(), 'callbridge-bench-sqlite-'));
  const db = new DatabaseSync(path.join(dir, 'spool.db'));
  db.exec(
    'pragma journal_mode = wal; pragma synchronous = full; create table spool (id integer primary key, record text not null)',
  );
  const insert = db.prepare('insert into spool (record) values (?)');
  let queue: Array<{ text: string; resolve: () => void }> = [];
  let flushing = false;
  const flush = async () => {
    flushing = true;
    await nextTick();
    const round = queue;
    queue = [];
    db.exec('begin');
    for (const item of round) insert.run(item.text);
    db.exec('commit');
    flushing = false;
    for (const item of round) item.resolve();
  };
  const append: Append = (r) =>
    new Promise((resolve) => {
      queue.push({ text: JSON.stringify({ spooledAt: Date.now(), record: r }), resolve });
      if (!flushing) void flush();
    });
  try {
    return {
      engine: 'node:sqlite (WAL, synchronous=FULL)',
      ...(await closedLoop(append, record, connections, seconds)),
    };
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
