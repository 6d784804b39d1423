import { z } from 'zod';

/** A comma-separated list: several values let a secret or key be rotated without downtime. */
export const list = (minLength: number, what: string) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().min(minLength, `each ${what} must be at least ${minLength} characters`)).min(1));
