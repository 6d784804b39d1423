import { z } from 'zod';

export const simulateCallResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.object({
      callId: z.string().describe('The simulated call: its deliveries arrive over the next seconds'),
      deliveries: z.number().int().describe('How many signed webhooks will be posted'),
    }),
  })
  .meta({ id: 'SimulateCallResponse' });

export type SimulateCallResponse = z.output<typeof simulateCallResponseSchema>;
