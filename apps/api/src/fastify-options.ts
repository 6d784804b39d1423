import type { FastifyServerOptions } from 'fastify';
import type { AppConfig } from './config/config-schema.ts';
import { requestIdFor } from './lib/request-id.ts';
import { loggerOptions } from './logger-options.ts';
import { clientErrorHandler, frameworkErrorHandler } from './plugins/error-handler.ts';
import { CompletedRequestLogController } from './plugins/request-logging.ts';

/** Room for a 200-character id with every character a percent-encoded multi-byte UTF-8 sequence. */
const MAX_ENCODED_PARAM_LENGTH = 2400;

/** The server's own options: logging, proxies, request ids, framework errors. */
export function fastifyOptions(
  config: Pick<AppConfig, 'server' | 'observability'>,
  logger: FastifyServerOptions['logger'] = loggerOptions(config),
): FastifyServerOptions {
  return {
    logger,
    trustProxy: config.server.trustProxy,
    // lib/request-id.ts: a client's X-Request-Id is kept only in a bounded safe format.
    requestIdHeader: false,
    genReqId: requestIdFor,
    logController: new CompletedRequestLogController(),
    // Percent-encoding can triple a parameter's length; the route schemas hold the real limits.
    routerOptions: { maxParamLength: MAX_ENCODED_PARAM_LENGTH },
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  };
}
