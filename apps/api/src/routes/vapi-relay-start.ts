import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RequestResponseType } from '../lib/vapi-default-answers.ts';
import { recordRelayOutcome } from '../services/relay-status.ts';
import type { SourceVerificationCache } from '../services/source-verification-cache.ts';
import {
  type RelayDeadlines,
  type RelayOutcome,
  relayDeadlineMs,
  relayDelivery,
} from '../services/vapi-relay.ts';

export interface RelayRoute {
  /** VAPI_RELAY_URL: where the default source's request-response deliveries go. */
  url?: string;
  deadlines: RelayDeadlines;
  /** The deadline of the UPDATE that records the outcome on the event. */
  recordTimeoutMs: number;
}

export interface StartedRelay {
  outcome: Promise<RelayOutcome>;
  /** Counts the forward and writes its outcome onto the stored event, without holding VAPI's answer. */
  record(eventId: number | null, outcome: RelayOutcome): void;
}

type RelayUrlOptions = { relay: RelayRoute; sources?: SourceVerificationCache };

/**
 * Where a delivery is relayed: a source's own relayUrl for its URL (never VAPI_RELAY_URL, which
 * belongs to the default source: one team's calls are not sent to another's server), VAPI_RELAY_URL
 * for the default paths.
 */
async function relayUrlFor(options: RelayUrlOptions, sourceId: string | null): Promise<string | undefined> {
  if (sourceId === null) return options.relay.url;
  return (await options.sources?.get(sourceId))?.relayUrl ?? undefined;
}

/** Starts forwarding a request-response delivery to the team's server, when a relay URL applies. */
export async function startRelay(
  app: FastifyInstance,
  request: FastifyRequest,
  options: RelayUrlOptions,
  sourceId: string | null,
  type: RequestResponseType | undefined,
  body: Buffer,
): Promise<StartedRelay | undefined> {
  if (!type) return undefined;
  const url = await relayUrlFor(options, sourceId);
  if (!url) return undefined;
  const outcome = relayDelivery({
    url,
    rawHeaders: request.raw.rawHeaders,
    body,
    timeoutMs: relayDeadlineMs(type, options.relay.deadlines),
  });
  return {
    outcome,
    record(eventId, result) {
      app.callbridgeMetrics.relay(type, result.kind, result.ms / 1000);
      const log = { type, relayStatus: result.status ?? undefined, relayMs: result.ms };
      if (result.kind === 'failed')
        request.log.warn(
          { ...log, relayError: result.error },
          'relay failed; the default answer goes to VAPI',
        );
      else request.log.info(log, 'relayed');
      if (eventId === null) return;
      recordRelayOutcome(app.supabase, eventId, result, options.relay.recordTimeoutMs).catch(
        (error: unknown) =>
          request.log.warn({ err: error, eventId }, 'could not record the relay outcome on the event'),
      );
    },
  };
}

/**
 * An informational delivery of VAPI_RELAY_TYPES, once stored, goes to the relay outbox. Not awaited:
 * VAPI's 2xx never waits on it. Should the enqueue fail, the event stays stored and the forward is
 * logged as lost (the outbox row is written after the event's commit, not in its transaction).
 */
export function relayAfterStore(
  app: FastifyInstance,
  request: FastifyRequest,
  options: RelayUrlOptions,
  delivery: { sourceId: string | null; eventId: number | null; eventType: string; body: Buffer },
): void {
  const outbox = app.vapiRelayOutbox;
  const { eventId, eventType } = delivery;
  if (!outbox?.types.has(eventType) || eventId === null) return;
  void (async () => {
    const url = await relayUrlFor(options, delivery.sourceId);
    if (!url) return;
    await outbox.enqueue({
      eventId,
      eventType,
      url,
      rawHeaders: request.raw.rawHeaders,
      body: delivery.body,
    });
  })().catch((error: unknown) =>
    request.log.error(
      { err: error, eventId, type: eventType },
      'could not enqueue the relay of a stored event',
    ),
  );
}
