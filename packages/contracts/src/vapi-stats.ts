import { z } from 'zod';

const counts = z.record(z.string(), z.number().int());

export const vapiStatsSchema = z.object({
  since: z.string().describe('Start of the window, inclusive'),
  until: z.string().describe('End of the window, exclusive'),
  calls: z.object({
    total: z.number().int().describe('Calls first seen in the window'),
    byStatus: counts.describe('Calls by their latest VAPI status (`unknown` when none was sent)'),
    byOutcome: counts.describe(
      'Ended calls by outcome, classified from the ended reason by the same table as the call routes (public.vapi_ended_reasons)',
    ),
    durationSeconds: z.object({
      mean: z.number().nullable(),
      p50: z.number().nullable(),
      p95: z.number().nullable(),
    }),
    totalCost: z.number().describe('Sum of VAPI cost, in USD'),
  }),
  deliveries: z.object({
    total: z.number().int().describe('Webhook deliveries received in the window'),
    byType: z.record(z.string(), counts).describe('Deliveries by message type, then by outcome'),
    successRate: z
      .number()
      .nullable()
      .describe('Share of deliveries `stored` or `acknowledged`; null when there were none'),
    topFailureCodes: z
      .array(z.object({ code: z.string(), count: z.number().int() }))
      .describe('The ten most frequent error codes of `rejected` and `failed` deliveries'),
  }),
});

export const vapiStatsResponseSchema = z.object({ success: z.literal(true), data: vapiStatsSchema }).meta({
  id: 'VapiStatsResponse',
  example: {
    success: true,
    data: {
      since: '2026-11-22T12:00:00.000Z',
      until: '2026-11-23T12:00:00.000Z',
      calls: {
        total: 120,
        byStatus: { ended: 112, 'in-progress': 8 },
        byOutcome: { completed: 88, 'no-answer': 12, busy: 6, voicemail: 3, canceled: 2, failed: 1 },
        durationSeconds: { mean: 74.2, p50: 61, p95: 212.5 },
        totalCost: 18.42,
      },
      deliveries: {
        total: 1840,
        byType: {
          'status-update': { stored: 360 },
          'end-of-call-report': { stored: 111, failed: 1 },
          'conversation-update': { acknowledged: 1368 },
        },
        successRate: 0.9995,
        topFailureCodes: [{ code: 'database-rejected:22P02', count: 1 }],
      },
    },
  },
});

export type VapiStats = z.output<typeof vapiStatsSchema>;
export type VapiStatsResponse = z.output<typeof vapiStatsResponseSchema>;
