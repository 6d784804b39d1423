import { type PrepareOptions, prepareVapiDelivery, type VapiDelivery } from '../lib/prepare-vapi-delivery.ts';
import type { VapiMessage } from '../lib/vapi-message-schema.ts';
import { withSpan } from '../lib/with-span.ts';
import { type DeliverySpool, type Ingested, ingestDeliveries } from './ingest-deliveries.ts';
import type { StoreAttempt, StoredEvent } from './store-vapi-events.ts';

/** VAPI waits 7.5 s for the answer to an assistant-request, 20 s for other messages. */
const ASSISTANT_REQUEST = 'assistant-request';

export interface IngestOptions extends PrepareOptions {
  /** Overall time to get a delivery stored, retries included (WEBHOOK_STORE_BUDGET_MS). */
  budgetMs: number;
  /** The budget for assistant-request, which VAPI waits for less long. */
  assistantRequestBudgetMs: number;
  /** One attempt's deadline (SUPABASE_TIMEOUT_MS). */
  attemptTimeoutMs: number;
  /** Push to Kestra is configured: a report that makes a result final enqueues its push. */
  kestraPush: boolean;
  /** With a spool (SPOOL_DIR), a store later than its deadline is spooled and answered 2xx. */
  spool?: DeliverySpool;
}

/** One delivery's outcome, as logged and counted: how its event is logged once committed, else the store's. */
export type DeliveryOutcome = StoredEvent['outcome'] | Exclude<Ingested['outcome'], 'stored' | 'failed'>;

/** What the route logs, counts and answers from: the store's outcome and the delivery as read. */
export type WebhookIngest = Ingested & {
  /** How the event is logged, once it is in the database (null: spooled, or not stored). */
  event: StoredEvent | null;
  /** What the route counts and logs (callbridge_webhooks_total's `outcome`, `timed-out` as `unavailable`). */
  deliveryOutcome: DeliveryOutcome;
  /** The key the call is stored under, when the delivery names one. */
  callId: string | null;
  eventType: string;
  /** An end-of-call report: the result may have become final. */
  isReport: boolean;
  message: VapiMessage | undefined;
  /** How many values had to be changed for Postgres to take the delivery. */
  sanitizedCount: number;
};

/**
 * One authentic delivery: parse → sanitize → map → one store (ingest-deliveries.ts). Resolves with the
 * outcome whatever it is; `attempt` is in production the group commit (event-batcher.ts).
 */
export async function ingestWebhook(
  attempt: StoreAttempt,
  delivery: VapiDelivery,
  options: IngestOptions,
): Promise<WebhookIngest> {
  const prepared = prepareVapiDelivery(delivery, options);
  const record = options.kestraPush ? { ...prepared.record, kestraPush: true } : prepared.record;
  const budgetMs =
    record.eventType === ASSISTANT_REQUEST ? options.assistantRequestBudgetMs : options.budgetMs;
  const [ingested, outcome] = await withSpan(
    'webhook.store',
    { 'callbridge.event.type': record.eventType, 'callbridge.store.budget_ms': budgetMs },
    async (span) => {
      const result = await ingestDeliveries(attempt, [record], {
        budgetMs,
        attemptTimeoutMs: options.attemptTimeoutMs,
        spool: options.spool,
        receivedAt: delivery.receivedAt,
      });
      const decided = deliveryOutcome(result);
      span.setAttribute('callbridge.store.outcome', decided);
      return [result, decided] as const;
    },
  );
  return {
    ...ingested,
    event: ingested.stored[0] ?? null,
    deliveryOutcome: outcome,
    callId: record.callId,
    eventType: record.eventType,
    isReport: record.isReport,
    message: prepared.message,
    sanitizedCount: (record.sanitized?.changes.length ?? 0) + (record.sanitized?.more ?? 0),
  };
}

/** Committed: as the database logged the event; else where the store left it. */
function deliveryOutcome(ingested: Ingested): DeliveryOutcome {
  if (ingested.outcome !== 'stored' && ingested.outcome !== 'failed') return ingested.outcome;
  const [event] = ingested.stored;
  if (!event) throw new Error('ingest_vapi_deliveries answered no result for the delivery');
  return event.outcome;
}
