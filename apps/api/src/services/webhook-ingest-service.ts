import { type PrepareOptions, prepareVapiDelivery, type VapiDelivery } from '../lib/prepare-vapi-delivery.ts';
import type { VapiMessage } from '../lib/vapi-message-schema.ts';
import { withSpan } from '../lib/with-span.ts';
import { type DeliverySpool, type StoreOrSpoolResult, storeOrSpool } from './spool-ingest.ts';
import { type StoreAttempt, type StoreBudget, storeWithBudget } from './store-vapi-events.ts';

/** VAPI waits 7.5 s for the answer to an assistant-request, 20 s for other messages. */
const ASSISTANT_REQUEST = 'assistant-request';

export interface IngestOptions extends StoreBudget, PrepareOptions {
  /** The budget for assistant-request, which VAPI waits for less long. */
  assistantRequestBudgetMs: number;
  /** Called once the delivery is read, before it is stored: what the caller's log lines can carry. */
  onPrepared?: (delivery: { callId: string | null; eventType: string }) => void;
  /** Push to Kestra is configured: a report that makes a result final enqueues its push. */
  kestraPush: boolean;
  /** With a spool (SPOOL_DIR), a store later than its deadline is spooled and answered 2xx. */
  spool?: DeliverySpool;
}

export interface IngestResult {
  /** `spooled`: synced to the local spool, stored in the database once it answers again. */
  outcome: StoreOrSpoolResult['outcome'];
  /** The row that records the event; null while it is only in the spool. */
  eventId: number | null;
  /** Why the event was not merged into a call, when it was not. */
  errorCode: string | null;
  /** The key the call is stored under, when the delivery names one. */
  callId: string | null;
  eventType: string;
  /** An end-of-call report: the result may have become final. */
  isReport: boolean;
  message: VapiMessage | undefined;
  /** How many values had to be changed for Postgres to take the delivery. */
  sanitizedCount: number;
}

/**
 * One path for every authentic delivery: parse → sanitize → map → one store. Resolves once the event
 * is committed (with a spool: or synced to it), whatever its outcome; throws 503 only when neither
 * happened within the budget. `store` makes one attempt: in production through the group commit (event-batcher.ts).
 */
export async function ingestWebhook(
  store: StoreAttempt,
  delivery: VapiDelivery,
  options: IngestOptions,
): Promise<IngestResult> {
  const prepared = prepareVapiDelivery(delivery, options);
  const record = options.kestraPush ? { ...prepared.record, kestraPush: true } : prepared.record;
  const { message } = prepared;
  options.onPrepared?.({ callId: record.callId, eventType: record.eventType });
  const budgetMs =
    record.eventType === ASSISTANT_REQUEST ? options.assistantRequestBudgetMs : options.budgetMs;
  const budget = { ...options, budgetMs };
  const stored = await withSpan(
    'webhook.store',
    { 'callbridge.event.type': record.eventType, 'callbridge.store.budget_ms': budgetMs },
    async (span) => {
      const result: StoreOrSpoolResult | undefined = options.spool
        ? await storeOrSpool(store, record, budget, options.spool, delivery.receivedAt)
        : (await storeWithBudget(store, [record], budget))[0];
      if (!result) throw new Error('ingest_vapi_events answered no result for the delivery');
      span.setAttribute('callbridge.store.outcome', result.outcome);
      return result;
    },
  );
  return {
    outcome: stored.outcome,
    eventId: stored.outcome === 'spooled' ? null : stored.eventId,
    errorCode: stored.errorCode,
    callId: record.callId,
    eventType: record.eventType,
    isReport: record.isReport,
    message,
    sanitizedCount: (record.sanitized?.changes.length ?? 0) + (record.sanitized?.more ?? 0),
  };
}
