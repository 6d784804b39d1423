import { z } from 'zod';
import { ingestBatchBody } from '../lib/ingest-batch-body.ts';
import { postBuffer } from '../lib/post-buffer.ts';
import type { EventRecord } from '../lib/prepare-vapi-delivery.ts';
import type { SupabaseResponse } from './supabase-failure.ts';

/** What ingest_vapi_deliveries answers for each event it was given. */
export const storedEventSchema = z.object({
  deliveryId: z.string(),
  /** The row that records the event. */
  eventId: z.number().int().nullable(),
  /** How the event is logged: merged into its call, only logged, refused a merge, or kept without content. */
  outcome: z.enum(['stored', 'acknowledged', 'rejected', 'failed']),
  errorCode: z.string().nullable(),
});
export type StoredEvent = z.output<typeof storedEventSchema>;

/** A store attempt that failed: PostgREST's answer says whether waiting can cure it. */
export class StoreFailure extends Error {
  constructor(readonly response: SupabaseResponse) {
    super(`${response.error?.code ?? ''} ${response.error?.message ?? ''} (HTTP ${response.status})`.trim());
  }
}

/**
 * Where batches go: PostgREST's ingest_vapi_deliveries under the project's /rest/v1, with the service
 * role's key, as supabase-js would address it. Not through supabase-js: its rpc() sends JSON only, and
 * the batch goes as text/plain (20261204000000_ingest_text_body.sql).
 */
export interface IngestEndpoint {
  url: URL;
  headers: Record<string, string>;
}

export function ingestEndpoint(supabaseUrl: string, serviceRoleKey: string): IngestEndpoint {
  const base = supabaseUrl.endsWith('/') ? supabaseUrl : `${supabaseUrl}/`;
  return {
    url: new URL('rest/v1/rpc/ingest_vapi_deliveries', base),
    headers: {
      apikey: serviceRoleKey,
      authorization: `Bearer ${serviceRoleKey}`,
      'content-type': 'text/plain; charset=utf-8',
      accept: 'application/json',
    },
  };
}

/** PostgREST's error body ({code, message, details, hint}), or the start of whatever a gateway sent. */
function errorOf(text: string, status: number): NonNullable<SupabaseResponse['error']> {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof body?.message === 'string')
      return { message: body.message, ...(typeof body.code === 'string' && { code: body.code }) };
  } catch {
    // not JSON: a proxy's page
  }
  return { message: text.slice(0, 200) || `HTTP ${status}` };
}

/**
 * One attempt: stores events in one ingest_vapi_deliveries call within `timeoutMs`, or throws
 * StoreFailure: status 0 for no answer in time, as supabase-js reports it, else PostgREST's status.
 */
export async function callIngestRpc(
  endpoint: IngestEndpoint,
  events: EventRecord[],
  timeoutMs: number,
): Promise<StoredEvent[]> {
  const ms = Math.max(1, Math.floor(timeoutMs));
  // notAfter: a batch still running once this attempt is abandoned rolls back instead of committing
  // (ingest_vapi_event_list), so a store we gave up on never succeeds behind our back.
  const body = ingestBatchBody(events, new Date(Date.now() + ms));
  let status: number;
  let text: string;
  try {
    ({ status, text } = await postBuffer(endpoint.url, endpoint.headers, body, AbortSignal.timeout(ms)));
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    throw new StoreFailure({ status: 0, error: { message: `${name}: ${message}` } });
  }
  if (status < 200 || status > 299) throw new StoreFailure({ status, error: errorOf(text, status) });
  return storedEventSchema.array().parse(JSON.parse(text));
}

/**
 * How one attempt reaches the database: straight to the RPC (rpcAttempt), or through the group commit
 * (event-batcher.ts). Throws StoreFailure when the database did not take the events.
 */
export type StoreAttempt = (events: EventRecord[], timeoutMs: number) => Promise<StoredEvent[]>;

/** Each attempt is one ingest_vapi_deliveries call of its own. */
export function rpcAttempt(endpoint: IngestEndpoint): StoreAttempt {
  return (events, timeoutMs) => callIngestRpc(endpoint, events, timeoutMs);
}
