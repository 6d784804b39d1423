import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * Adds fields (the call id) to every later line of this request, the closing one included. Fastify
 * gives each request its own child logger, shared with its reply: the fields are added to it in place
 * (pino's setBindings), which costs a string join where a new child would copy the logger (a twentieth
 * of the API's CPU per delivery). Where the request has no child of its own (logging off: it is the
 * server's logger) a child is made instead, so nothing leaks into other requests' lines.
 */
export function bindLogContext(
  request: FastifyRequest,
  reply: FastifyReply,
  fields: Record<string, unknown>,
) {
  const log = request.log as FastifyRequest['log'] & { setBindings?: (bindings: object) => void };
  if (log !== request.server.log && log === reply.log && log.setBindings) {
    log.setBindings(fields);
    return;
  }
  const child = log.child(fields);
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
