import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './error-handler.ts';

/**
 * Route preHandler, after requireApiKey: replaying deliveries and deleting a call's data re-write the
 * store, so a read key needs access `read+write` for them; API_KEYS always may.
 */
export async function requireWriteAccess(request: FastifyRequest, reply: FastifyReply) {
  if (request.keyMayWrite) return;
  request.log.info({ reason: 'read-only-key' }, 'write refused to a read-only key');
  return reply
    .code(403)
    .send(errorBody(request, 403, 'This key may only read: replay and delete need a read+write key'));
}
