import type { FastifyReply } from 'fastify';
import {
  type DefaultAnswerSettings,
  defaultAnswer,
  isRequestResponseType,
} from '../lib/vapi-default-answers.ts';
import type { VapiMessage } from '../lib/vapi-message-schema.ts';
import type { CallbridgeMetrics } from '../plugins/external/metrics.ts';
import type { RelayOutcome } from '../services/vapi-relay.ts';

/**
 * Sends VAPI its answer once the event is committed: the upstream's answer unchanged (status, type,
 * bytes) when the relay gave one, else the default answer, counted when it stands for no decision.
 */
export function sendVapiAnswer(
  reply: FastifyReply,
  type: string,
  message: VapiMessage | undefined,
  relayed: RelayOutcome | undefined,
  settings: DefaultAnswerSettings,
  metrics: CallbridgeMetrics,
): FastifyReply {
  if (relayed?.kind === 'answered') {
    reply.code(relayed.status);
    if (relayed.contentType) reply.header('content-type', relayed.contentType);
    // A Buffer goes out as it is: no serializer touches the upstream's bytes.
    return reply.send(relayed.body);
  }
  const answer = defaultAnswer(message, settings);
  if (answer.undecided && isRequestResponseType(type))
    metrics.defaultAnswer(type, relayed ? 'relay-failed' : 'not-relayed');
  if (answer.kind === 'pcm')
    return reply.header('content-type', 'application/octet-stream').send(answer.body);
  return reply.send(answer.body);
}
