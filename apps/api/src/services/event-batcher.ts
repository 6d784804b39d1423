import type { Link } from '@opentelemetry/api';
import type { EventRecord } from '../lib/prepare-vapi-delivery.ts';
import { activeSpanLink, withSpan } from '../lib/with-span.ts';
import {
  callIngestRpc,
  type IngestEndpoint,
  type StoreAttempt,
  type StoredEvent,
  StoreFailure,
} from './store-vapi-events.ts';
import { isTransientFailure } from './supabase-failure.ts';

export interface EventBatcherOptions {
  /** How long the first event of a batch waits for others before the batch is sent. */
  maxWaitMs: number;
  /** A batch this full is sent at once. */
  maxSize: number;
  /** Called with each batch's size as it is sent. */
  onBatch?: (size: number) => void;
}

interface Pending {
  event: EventRecord;
  /** When this event's own attempt gives up (performance.now()). */
  deadline: number;
  resolve: (stored: StoredEvent) => void;
  reject: (error: unknown) => void;
  /** The span of the store that queued the event, for the batch's span to link to. */
  link: Link | undefined;
}

type SendBatch = (events: EventRecord[], timeoutMs: number) => Promise<StoredEvent[]>;

/**
 * Group commit: events that arrive within `maxWaitMs` of each other are stored in one
 * ingest_vapi_deliveries call (one transaction, one commit) instead of one each. Each caller's promise
 * settles with its own event's result once the batch has committed, or with the batch's failure; the
 * caller's retries (ingest-deliveries.ts) then bring the event back in a later batch, within its own budget.
 *
 * Cost model: one RPC per batch; at most `maxWaitMs` of added latency, none once a batch is full.
 * A batch PostgREST refuses outright (a 4xx) is sent again one event at a time, so only the event that
 * causes it is refused. Events are sent ordered by call id (arrival order within a call), so batches
 * running at once lock call rows in one order and cannot deadlock each other.
 */
export class EventBatcher {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private closing = false;
  private readonly send: SendBatch;

  constructor(
    endpoint: IngestEndpoint,
    private readonly options: EventBatcherOptions,
    send?: SendBatch,
  ) {
    this.send = send ?? ((events, timeoutMs) => callIngestRpc(endpoint, events, timeoutMs));
  }

  /** One store attempt (ingest-deliveries.ts), each event queued for the next batch. */
  readonly attempt: StoreAttempt = async (events, timeoutMs) =>
    Promise.all(events.map((event) => this.store(event, timeoutMs)));

  store(event: EventRecord, timeoutMs: number): Promise<StoredEvent> {
    return new Promise((resolve, reject) => {
      this.pending.push({
        event,
        deadline: performance.now() + timeoutMs,
        resolve,
        reject,
        link: activeSpanLink(),
      });
      if (this.closing || this.pending.length >= this.options.maxSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
    });
  }

  /** Sends what is waiting now and every later event at once, and resolves when all batches are done. */
  async close(): Promise<void> {
    this.closing = true;
    this.flush();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.options.maxSize);
      const sending = this.sendBatch(batch).finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
  }

  private async sendBatch(batch: Pending[]): Promise<void> {
    this.options.onBatch?.(batch.length);
    const ordered = batch
      .map((item, index) => ({ item, index }))
      .sort((a, b) => compareCallIds(a.item.event, b.item.event) || a.index - b.index)
      .map(({ item }) => item);
    const timeoutMs = Math.min(...ordered.map((item) => item.deadline)) - performance.now();
    try {
      const links = ordered.flatMap((item) => (item.link ? [item.link] : []));
      const results = await withSpan(
        'webhook.store.batch',
        { 'callbridge.batch.size': ordered.length },
        () =>
          this.send(
            ordered.map((item) => item.event),
            timeoutMs,
          ),
        { links },
      );
      settle(ordered, results);
    } catch (error) {
      if (ordered.length > 1 && error instanceof StoreFailure && !isTransientFailure(error.response)) {
        await Promise.all(ordered.map((item) => this.sendBatch([item])));
        return;
      }
      for (const item of ordered) item.reject(error);
    }
  }
}

function compareCallIds(a: EventRecord, b: EventRecord): number {
  const left = a.callId ?? '';
  const right = b.callId ?? '';
  return left < right ? -1 : left > right ? 1 : 0;
}

function settle(batch: Pending[], results: StoredEvent[]): void {
  const byDelivery = new Map(results.map((result) => [result.deliveryId, result]));
  for (const item of batch) {
    const result = byDelivery.get(item.event.deliveryId);
    if (result) item.resolve(result);
    else item.reject(new Error('ingest_vapi_deliveries answered no result for the delivery'));
  }
}
