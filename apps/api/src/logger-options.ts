import type { FastifyServerOptions } from 'fastify';
import type { AppConfig } from './config/config-schema.ts';
import { REDACTED } from './lib/redact-vapi-payload.ts';
import { traceLogFields } from './lib/with-span.ts';

/** Header and body paths that can carry credentials: pino replaces them before a line is written. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.apikey',
  'req.headers["x-vapi-secret"]',
  'req.headers["x-signature"]',
  'headers.authorization',
  'headers.apikey',
];

export function loggerOptions(
  config: Pick<AppConfig, 'server' | 'observability'>,
): FastifyServerOptions['logger'] {
  return {
    level: config.server.logLevel,
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    ...(config.observability.tracing.endpoint ? { mixin: traceLogFields } : {}),
    ...(config.server.nodeEnv === 'development'
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' },
          },
        }
      : {}),
  };
}
