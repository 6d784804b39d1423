import { z } from 'zod';

/** The items of a comma-separated variable, trimmed, blanks dropped. */
export const splitList = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** A comma-separated list: several values let a secret or key be rotated without downtime. */
export const list = (minLength: number, what: string) =>
  z
    .string()
    .transform(splitList)
    .pipe(z.array(z.string().min(minLength, `each ${what} must be at least ${minLength} characters`)).min(1));
