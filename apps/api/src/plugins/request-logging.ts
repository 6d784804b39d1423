import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * Adds fields (the call id) to every later line of this request, the closing one included. Fastify
 * gives the request and the reply each their own logger, so both are replaced.
 */
export function bindLogContext(
  request: FastifyRequest,
  reply: FastifyReply,
  fields: Record<string, unknown>,
) {
  const child = request.log.child(fields);
  request.log = child;
  reply.log = child;
}

/**
 * One line per request, when it completes, with the method, URL and route template, in place of
 * Fastify's two: its "incoming request" is written before the route has read the call id (from the
 * path, or from a webhook's verified body), so it could never carry it.
 */
export class CompletedRequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    if (this.isLogDisabled(request)) return;
    const fields = {
      req: request,
      res: reply,
      route: request.routeOptions.url,
      responseTime: reply.elapsedTime,
    };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request completed');
  }
}
