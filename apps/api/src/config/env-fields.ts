import { z } from 'zod';
import { parseSecretBoxKey } from '../lib/secret-box.ts';

/** Field types the settings sections share: every value arrives as a string from the environment. */
export const port = z.coerce.number().int().min(0).max(65535);
export const positiveInt = z.coerce.number().int().positive();
export const nonNegativeInt = z.coerce.number().int().min(0);

/** A 32-byte AES key, base64; decoded here so a bad one stops the start, never echoed. */
export const secretBoxKey = z.string().transform((value, context) => {
  try {
    return parseSecretBoxKey(value);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** A JSON value in a variable, read with `schema`; the value itself is never echoed. */
export const jsonOf = <T extends z.ZodType>(schema: T, example: string) =>
  z
    .string()
    .transform((value, context) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: `must be JSON, e.g. ${example}` });
        return z.NEVER;
      }
    })
    .pipe(schema);

export const httpUrlWithoutCredentials = (example: string) =>
  z
    .url({ protocol: /^https?$/, error: `must be an http(s) URL such as ${example}` })
    .refine((url) => !/^[a-z]+:\/\/[^/]*@/i.test(url), { error: 'must not contain credentials' });

/** An outbox's retry rule: give up past the max age, back off from the base delay up to the max. */
export const retryPolicy = (maxAgeSeconds: number, baseDelayMs: number, maxDelayMs: number) => ({
  maxAgeMs: maxAgeSeconds * 1000,
  retry: { baseDelayMs, maxDelayMs },
});
