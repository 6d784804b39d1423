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

export const statsDescription = (maxWindowDays: number) =>
  'Calls first seen in [since, until) by status and outcome, their duration (mean, p50, p95) and total cost; deliveries received in the window by type and outcome, the success rate and the most frequent failure codes. Default: the last 24 hours.' +
  ` At most ${maxWindowDays} days (STATS_MAX_WINDOW_DAYS); a wider window is refused with 400.`;
