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

/**
 * Starts forwarding a request-response delivery to the team's server, when one applies: a source's
 * own relayUrl for its URL (never VAPI_RELAY_URL, which belongs to the default source: one team's
 * calls are not sent to another's server), VAPI_RELAY_URL for the default paths.
 */
export async function startRelay(
  app: FastifyInstance,
  request: FastifyRequest,
  options: { relay: RelayRoute; sources?: SourceVerificationCache },
  sourceId: string | null,
  type: RequestResponseType | undefined,
  body: Buffer,
): Promise<StartedRelay | undefined> {
  if (!type) return undefined;
  const url =
    sourceId === null ? options.relay.url : ((await options.sources?.get(sourceId))?.relayUrl ?? undefined);
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
