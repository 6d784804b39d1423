import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

/** Every environment variable the API reads. `.env.example` documents each one. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(8000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.stringbool().default(false),
  SUPABASE_URL: z.url({
    protocol: /^https?$/,
    error: 'must be an http(s) URL such as https://<ref>.supabase.co',
  }),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1, 'is required (Project Settings → API → service_role key)'),
  SUPABASE_TIMEOUT_MS: positiveInt.default(5000),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
});

export type AppConfig = z.output<typeof configSchema>;
