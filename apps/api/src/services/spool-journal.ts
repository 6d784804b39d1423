import { type FileHandle, mkdir, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EventRecord } from '../lib/prepare-vapi-delivery.ts';
import {
  type DamagedRange,
  decodeSpoolSegment,
  encodeSpoolRecord,
  SPOOL_RECORD_HEADER_BYTES,
} from '../lib/spool-record.ts';
import { lockSpoolDir } from './spool-lock.ts';

/** The spool is at SPOOL_MAX_BYTES: the delivery was not spooled. */
export class SpoolFullError extends Error {}
/** Writing or syncing failed (ENOSPC, EIO…): the delivery was not spooled. */
export class SpoolWriteError extends Error {}

export interface SpoolJournalOptions {
  dir: string;
  /** Appends that would take the spool's files past this are refused; nothing spooled is ever dropped. */
  maxBytes: number;
  /** A new segment file is started once the current one is this large. */
  segmentBytes: number;
  /** Damage found while opening: reported, and the bytes kept aside in `<segment>.corrupt`. */
  onDamage?: (damage: DamagedRange & { segment: string; keptIn: string }) => void;
  /** How long each group fdatasync took. */
  onSync?: (seconds: number) => void;
  /** The drain command, told by an operator that the instance holding the lock is gone for good. */
  takeOverLockFromOtherHost?: boolean;
}

/** What the index keeps of a spooled delivery; the record itself stays on disk. */
export interface SpoolEntry {
  segment: number;
  offset: number;
  bytes: number;
  deliveryId: string;
  callId: string | null;
  /** Whose delivery it is: readers see only their sources' calls. */
  sourceId: string | null;
  isReport: boolean;
  spooledAt: number;
}

interface SpooledValue {
  spooledAt: number;
  record: EventRecord;
}

interface Segment {
  file: string;
  size: number;
  /** Records in it not yet drained. */
  live: number;
}

interface QueuedAppend {
  bytes: Buffer;
  value: SpooledValue;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const SEGMENT = /^segment-(\d{12})\.log$/;
const segmentName = (id: number) => `segment-${String(id).padStart(12, '0')}.log`;

/**
 * A local append-only journal of deliveries the database could not take in time (Vector's disk buffer
 * v2 design, stricter: an append resolves only after fdatasync). Appends that arrive while a sync runs
 * share the next one (group commit), so N concurrent requests cost one sync, not N. Records are read
 * back oldest first; a segment file is deleted once every record in it has drained. Replaying a record
 * twice is harmless: its delivery id makes a repeated ingest a no-op, so no "drained" marks are written —
 * after a crash the undeleted segments drain again from their start.
 */
export class SpoolJournal {
  private readonly entries: SpoolEntry[] = [];
  /** Undrained entries' positions: entries[head] is the oldest (a queue without shifting). */
  private head = 0;
  private readonly segments = new Map<number, Segment>();
  private active: { id: number; handle: FileHandle } | undefined;
  private nextSegmentId: number;
  private queue: QueuedAppend[] = [];
  private queuedBytes = 0;
  private writing: Promise<void> | undefined;
  private freeing: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly callCounts = new Map<string, number>();
  /** Counters since open, for metrics. */
  readonly counts = { appended: 0, drained: 0, damaged: 0 };

  private constructor(
    private readonly options: SpoolJournalOptions,
    private readonly unlock: () => Promise<void>,
    nextSegmentId: number,
  ) {
    this.nextSegmentId = nextSegmentId;
  }

  /** Locks the directory and reads what an earlier process left in it. */
  static async open(options: SpoolJournalOptions): Promise<SpoolJournal> {
    await mkdir(options.dir, { recursive: true });
    const unlock = await lockSpoolDir(options.dir, {
      takeOverFromOtherHost: options.takeOverLockFromOtherHost,
    });
    try {
      const ids = (await readdir(options.dir))
        .map((name) => SEGMENT.exec(name)?.[1])
        .filter((id): id is string => id !== undefined)
        .map(Number)
        .sort((a, b) => a - b);
      const journal = new SpoolJournal(options, unlock, (ids.at(-1) ?? 0) + 1);
      for (const id of ids) await journal.recover(id);
      return journal;
    } catch (error) {
      await unlock();
      throw error;
    }
  }

  private async recover(id: number): Promise<void> {
    const file = path.join(this.options.dir, segmentName(id));
    const buffer = await readFile(file);
    const { records, damaged } = decodeSpoolSegment(buffer);
    if (damaged.length > 0) {
      const keptIn = `${file.replace(/\.log$/, '')}.corrupt`;
      await writeFile(
        keptIn,
        Buffer.concat(damaged.map((range) => buffer.subarray(range.offset, range.offset + range.bytes))),
      );
      for (const range of damaged) {
        this.counts.damaged++;
        this.options.onDamage?.({ ...range, segment: file, keptIn });
      }
    }
    const segment: Segment = { file, size: buffer.length, live: 0 };
    for (const decoded of records) {
      const value = decoded.value as Partial<SpooledValue>;
      if (typeof value?.record?.deliveryId !== 'string') continue;
      this.index(id, decoded.offset, decoded.bytes, value as SpooledValue);
      segment.live++;
    }
    if (segment.live === 0) await rm(file, { force: true });
    else this.segments.set(id, segment);
  }

  private index(segment: number, offset: number, bytes: number, value: SpooledValue): void {
    const { record } = value;
    this.entries.push({
      segment,
      offset,
      bytes,
      deliveryId: record.deliveryId,
      callId: record.callId,
      sourceId: record.sourceId,
      isReport: record.isReport,
      spooledAt: value.spooledAt,
    });
    if (record.callId) this.callCounts.set(record.callId, (this.callCounts.get(record.callId) ?? 0) + 1);
  }

  /** Deliveries spooled and not yet drained. */
  get depth(): number {
    return this.entries.length - this.head;
  }

  /** Bytes of the segment files on disk (drained records count until their segment is deleted). */
  get bytes(): number {
    let total = 0;
    for (const segment of this.segments.values()) total += segment.size;
    return total;
  }

  /** `bytes` plus appends queued for the next sync: what the cap is checked against. */
  get committedAndQueuedBytes(): number {
    return this.bytes + this.queuedBytes;
  }

  oldestAgeSeconds(now = Date.now()): number {
    const oldest = this.entries[this.head];
    return oldest ? Math.max(0, (now - oldest.spooledAt) / 1000) : 0;
  }

  /** This call has deliveries waiting in the spool. */
  holdsCall(callId: string): boolean {
    return (this.callCounts.get(callId) ?? 0) > 0;
  }

  /** The undrained entries of a call, oldest first. */
  entriesOf(callId: string): SpoolEntry[] {
    if (!this.holdsCall(callId)) return [];
    return this.entries.slice(this.head).filter((entry) => entry.callId === callId);
  }

  /**
   * Resolves once the record is in the journal and synced to disk; throws SpoolFullError or
   * SpoolWriteError when it is not, and then nothing of it counts as spooled.
   */
  append(record: EventRecord): Promise<void> {
    if (this.closed) return Promise.reject(new SpoolWriteError('the spool is closed'));
    // The parsed payload is journaled; its received bytes (payloadJson) would be written again as JSON.
    const { payloadJson: _received, ...journaled } = record;
    const value: SpooledValue = { spooledAt: Date.now(), record: journaled };
    const bytes = encodeSpoolRecord(value);
    if (this.bytes + this.queuedBytes + bytes.length > this.options.maxBytes) {
      return Promise.reject(new SpoolFullError(`the spool is at SPOOL_MAX_BYTES (${this.options.maxBytes})`));
    }
    this.queuedBytes += bytes.length;
    return new Promise((resolve, reject) => {
      this.queue.push({ bytes, value, resolve, reject });
      this.writing ??= this.writeRounds();
    });
  }

  /** One write and one fdatasync per round, for everything queued when the round starts. */
  private async writeRounds(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const round = this.queue;
        this.queue = [];
        await this.writeRound(round);
      }
    } finally {
      this.writing = undefined;
    }
  }

  private async writeRound(round: QueuedAppend[]): Promise<void> {
    const data = Buffer.concat(round.map((item) => item.bytes));
    try {
      const { id, handle } = await this.activeSegment();
      const segment = this.segments.get(id) as Segment;
      const at = segment.size;
      try {
        for (let written = 0; written < data.length; ) {
          const { bytesWritten } = await handle.write(data, written, data.length - written, at + written);
          written += bytesWritten;
        }
        const startedAt = performance.now();
        await handle.datasync();
        this.options.onSync?.((performance.now() - startedAt) / 1000);
      } catch (error) {
        // Never leave half a round behind: cut it off, and start a fresh segment next time.
        await handle.truncate(at).catch(() => undefined);
        await this.closeActive();
        throw error;
      }
      let offset = at;
      for (const item of round) {
        this.index(id, offset, item.bytes.length, item.value);
        offset += item.bytes.length;
      }
      segment.size += data.length;
      segment.live += round.length;
      this.counts.appended += round.length;
      for (const item of round) item.resolve();
    } catch (error) {
      const failure = new SpoolWriteError(`spooling failed: ${(error as Error).message}`, { cause: error });
      for (const item of round) item.reject(failure);
    } finally {
      this.queuedBytes -= data.length;
    }
  }

  private async activeSegment(): Promise<{ id: number; handle: FileHandle }> {
    const current = this.active && this.segments.get(this.active.id);
    if (this.active && current && current.size < this.options.segmentBytes) return this.active;
    await this.closeActive();
    const id = this.nextSegmentId++;
    const file = path.join(this.options.dir, segmentName(id));
    const handle = await open(file, 'wx');
    // A new file's name is durable only once its directory is synced.
    await syncDir(this.options.dir);
    this.segments.set(id, { file, size: 0, live: 0 });
    this.active = { id, handle };
    return this.active;
  }

  private async closeActive(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    await active?.handle.close().catch(() => undefined);
  }

  /** The oldest `limit` undrained entries, in receive order. */
  oldest(limit: number): SpoolEntry[] {
    return this.entries.slice(this.head, this.head + limit);
  }

  /** The records of entries (the order kept); reads only the byte range they span in each segment. */
  async read(entries: SpoolEntry[]): Promise<EventRecord[]> {
    const ranges = new Map<number, { start: number; end: number; buffer?: Buffer }>();
    for (const entry of entries) {
      const range = ranges.get(entry.segment);
      const end = entry.offset + entry.bytes;
      if (!range) ranges.set(entry.segment, { start: entry.offset, end });
      else
        ranges.set(entry.segment, {
          start: Math.min(range.start, entry.offset),
          end: Math.max(range.end, end),
        });
    }
    for (const [id, range] of ranges) {
      const segment = this.segments.get(id);
      if (!segment) throw new Error(`spool segment ${id} is gone: its records drained`);
      const handle = await open(segment.file, 'r');
      try {
        const buffer = Buffer.allocUnsafe(range.end - range.start);
        for (let read = 0; read < buffer.length; ) {
          const { bytesRead } = await handle.read(buffer, read, buffer.length - read, range.start + read);
          if (bytesRead === 0) throw new Error(`spool segment ${id} is shorter than its index`);
          read += bytesRead;
        }
        range.buffer = buffer;
      } finally {
        await handle.close();
      }
    }
    return entries.map((entry) => {
      const range = ranges.get(entry.segment) as { start: number; buffer: Buffer };
      const at = entry.offset - range.start;
      const payload = range.buffer.subarray(at + SPOOL_RECORD_HEADER_BYTES, at + entry.bytes);
      return (JSON.parse(payload.toString('utf8')) as SpooledValue).record;
    });
  }

  /** The oldest `count` entries are in the database: forget them and delete segments left empty. */
  async markDrained(count: number): Promise<void> {
    const drained = this.entries.slice(this.head, this.head + count);
    this.head += drained.length;
    this.counts.drained += drained.length;
    for (const entry of drained) {
      const segment = this.segments.get(entry.segment);
      if (segment) segment.live--;
      if (entry.callId) {
        const left = (this.callCounts.get(entry.callId) ?? 1) - 1;
        if (left > 0) this.callCounts.set(entry.callId, left);
        else this.callCounts.delete(entry.callId);
      }
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
    const previous = this.freeing;
    this.freeing = previous.then(() => this.freeEmptySegments());
    await this.freeing;
  }

  private async freeEmptySegments(): Promise<void> {
    let freed = false;
    for (const [id, segment] of this.segments) {
      if (segment.live > 0) continue;
      if (id === this.active?.id) {
        // A round may be writing into it right now: it goes once the spool is idle.
        if (this.writing) continue;
        await this.closeActive();
      }
      await rm(segment.file, { force: true });
      this.segments.delete(id);
      freed = true;
    }
    if (freed) await syncDir(this.options.dir);
  }

  /** Waits for appends in progress, then releases the directory. Spooled records stay on disk. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.writing) await this.writing;
    await this.freeing;
    await this.closeActive();
    await this.unlock();
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
