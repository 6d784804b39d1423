import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { fastifyTrustProxy, parseTrustProxy } from '../lib/trust-proxy.ts';
import { nonNegativeInt, port, positiveInt } from './env-fields.ts';

/** The process and its HTTP server. */
export const serverEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(8000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value, context) => {
      const parsed = parseTrustProxy(value);
      if (parsed !== undefined) return parsed;
      context.addIssue({
        code: 'custom',
        message: 'must be true, false, a hop count (such as 1) or a comma-separated list of proxy IPs/CIDRs',
      });
      return z.NEVER;
    }),
  // Long enough for the drain delay plus a webhook still inside its store budget.
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(30_000),
  SHUTDOWN_DRAIN_DELAY_MS: nonNegativeInt.default(5000),
  // Strict-Transport-Security on requests that came over TLS (directly, or X-Forwarded-Proto from a trusted proxy); 0: never.
  HSTS_MAX_AGE_SECONDS: nonNegativeInt.default(15_552_000),
  // How numbers written without a country code are read; the webhook and read sections take it from here.
  DEFAULT_PHONE_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US')
    .default('US')
    .transform((code) => code as CountryCode),
});

export const serverSettings = serverEnv.transform((env) => ({
  nodeEnv: env.NODE_ENV,
  host: env.HOST,
  port: env.PORT,
  logLevel: env.LOG_LEVEL,
  /** TRUST_PROXY in the form Fastify takes (a hop count becomes a per-hop test). */
  trustProxy: fastifyTrustProxy(env.TRUST_PROXY),
  shutdown: { timeoutMs: env.SHUTDOWN_TIMEOUT_MS, drainDelayMs: env.SHUTDOWN_DRAIN_DELAY_MS },
  hstsMaxAgeSeconds: env.HSTS_MAX_AGE_SECONDS,
}));

export type ServerSettings = z.output<typeof serverSettings>;
