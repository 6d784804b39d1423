import { z } from 'zod';

const timestamp = z.iso.datetime({ offset: true });

export const statsQuerySchema = z
  .object({
    since: timestamp
      .optional()
      .describe('Start of the window, inclusive (ISO 8601); default 24 h before until'),
    until: timestamp.optional().describe('End of the window, exclusive (ISO 8601); default now'),
  })
  .refine((query) => !query.since || !query.until || Date.parse(query.since) < Date.parse(query.until), {
    message: 'since must be before until',
    path: ['since'],
  });

export type StatsQuery = z.output<typeof statsQuerySchema>;
