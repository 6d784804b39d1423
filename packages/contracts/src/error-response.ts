import { z } from 'zod';

/** The one shape every error response has, from any route, hook or plugin. */
export const errorResponseSchema = z
  .object({
    success: z.literal(false),
    error: z.string().describe('HTTP reason phrase, or a stable error name such as "Call result not found"'),
    message: z.string().describe('What went wrong, for a human; never internals'),
    requestId: z.string().optional().describe('Present on 5xx: quote it when reporting a problem'),
  })
  .meta({ id: 'ErrorResponse' });

export type ErrorResponse = z.output<typeof errorResponseSchema>;
