import { CALL_HISTORY_MAX_LIMIT } from '@callbridge/contracts';
import { z } from 'zod';

export const callIdParamsSchema = z.object({
  callId: z.string().min(1).max(200).describe('VAPI call id'),
});

export const phoneParamsSchema = z.object({
  phone: z
    .string()
    .min(1)
    .max(50)
    .describe('Customer number in any common format, e.g. +15555550100 or +1 (555) 555-0100'),
});

export const callHistoryQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(CALL_HISTORY_MAX_LIMIT).default(20),
  cursor: z.string().min(1).max(1000).optional().describe('nextCursor from the previous page'),
});
