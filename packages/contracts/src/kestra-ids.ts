import { z } from 'zod';

/**
 * Kestra's execution ids are 22-character base62 (IdUtils.create()); tenant ids are short slugs. A
 * superset of both, and nothing that changes a URL path: no `.`, `/` or `%`, so `..` cannot survive
 * encodeURIComponent into the resume URL.
 */
export const KESTRA_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const kestraIdSchema = z
  .string()
  .regex(KESTRA_ID_PATTERN, 'must be 1-64 letters, digits, `_` or `-` (a Kestra id)');
