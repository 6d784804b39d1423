import type { EventRecord } from '../lib/prepare-vapi-delivery.ts';
import { inReadScope, type ReadScope } from '../lib/read-scope.ts';
import type { DeliverySpool } from './ingest-deliveries.ts';
import { SpoolDrainer, type SpoolDrainOptions } from './spool-drain.ts';
import { SpoolFullError, SpoolJournal, type SpoolJournalOptions, SpoolWriteError } from './spool-journal.ts';

export interface SpoolStatus {
  depth: number;
  oldestAgeSeconds: number;
  bytes: number;
  maxBytes: number;
  /** Takes new deliveries: below its cap, and its last write did not fail. */
  accepting: boolean;
}

export interface SpoolHooks {
  onAppended?: (record: EventRecord) => void;
  /** The spool could not take a delivery (full, disk error). */
  onRefused?: (error: unknown) => void;
}

/**
 * An instance's spool: the journal it appends late deliveries to and the drainer that stores them.
 * What ingest sees of it is DeliverySpool; readers ask `pendingReport` for a call's spooled report.
 */
export class SpoolService implements DeliverySpool {
  private constructor(
    readonly journal: SpoolJournal,
    readonly drainer: SpoolDrainer,
    readonly afterMs: number,
    private readonly maxBytes: number,
    private readonly hooks: SpoolHooks,
  ) {}

  onRefused(error: unknown): void {
    this.hooks.onRefused?.(error);
  }

  static async open(options: {
    journal: SpoolJournalOptions;
    drain: SpoolDrainOptions;
    afterMs: number;
    hooks?: SpoolHooks;
  }): Promise<SpoolService> {
    const journal = await SpoolJournal.open(options.journal);
    const drainer = new SpoolDrainer(journal, options.drain);
    return new SpoolService(journal, drainer, options.afterMs, options.journal.maxBytes, options.hooks ?? {});
  }

  backlogged(): boolean {
    return this.journal.depth > 0;
  }

  /** The last append failed to write or sync (ENOSPC, EIO): not accepting until one succeeds. */
  private writeFailing = false;
  /**
   * The cap refused append number `seq` while the spool held `bytes`: full until it shrinks below that
   * or a later append fits (one queued before the refusal and synced after it says nothing).
   */
  private full: { seq: number; bytes: number } | undefined;
  private appendSeq = 0;

  async append(record: EventRecord): Promise<void> {
    const seq = ++this.appendSeq;
    try {
      await this.journal.append(record);
    } catch (error) {
      if (error instanceof SpoolWriteError) this.writeFailing = true;
      if (error instanceof SpoolFullError) this.full = { seq, bytes: this.journal.committedAndQueuedBytes };
      throw error;
    }
    this.writeFailing = false;
    if (this.full && seq > this.full.seq) this.full = undefined;
    this.hooks.onAppended?.(record);
    this.drainer.nudge();
  }

  status(): SpoolStatus {
    return {
      depth: this.journal.depth,
      oldestAgeSeconds: Math.round(this.journal.oldestAgeSeconds()),
      bytes: this.journal.bytes,
      maxBytes: this.maxBytes,
      accepting: this.accepting(),
    };
  }

  /** Whether a delivery arriving now would be spooled: what keeps /ready 200 while the database is away. */
  accepting(): boolean {
    const bytes = this.journal.bytes;
    if (this.full && bytes < this.full.bytes) this.full = undefined;
    return !this.writeFailing && bytes < this.maxBytes && !this.full;
  }

  /** The call has deliveries in the spool not yet stored, of a source the scope sees. */
  holds(callId: string, scope: ReadScope): boolean {
    return this.journal.entriesOf(callId).some((entry) => inReadScope(scope, entry.sourceId));
  }

  /** The newest spooled end-of-call report of a call the scope sees, when one waits in the spool. */
  async pendingReport(callId: string, scope: ReadScope): Promise<EventRecord | undefined> {
    const report = this.journal
      .entriesOf(callId)
      .filter((entry) => entry.isReport && inReadScope(scope, entry.sourceId))
      .at(-1);
    if (!report) return undefined;
    const [record] = await this.journal.read([report]).catch(() => []);
    return record;
  }

  async close(): Promise<void> {
    await this.drainer.stop();
    await this.journal.close();
  }
}
