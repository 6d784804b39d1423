import { z } from 'zod';

/**
 * The transfer destinations of VAPI's SDK (TransferDestinationNumber, …Sip, …Assistant) with their
 * required fields checked; the optional ones (transferPlan, message, callerId, …) pass through as given,
 * so everything VAPI accepts can be configured. The answers built from them (lib/vapi-default-answers.ts)
 * are checked against the SDK's response types: a change of its required fields fails tsc.
 */
const numberDestinationSchema = z.looseObject({
  type: z.literal('number'),
  number: z.string().min(1).max(64),
  extension: z.string().max(32).optional(),
  callerId: z.string().max(64).optional(),
});
const sipDestinationSchema = z.looseObject({
  type: z.literal('sip'),
  sipUri: z.string().regex(/^sips?:/i, 'must be a sip: or sips: URI'),
});
const assistantDestinationSchema = z.looseObject({
  type: z.literal('assistant'),
  assistantName: z.string().min(1).max(200),
});

/** transfer-destination-request: a phone number, a SIP URI or another assistant of the squad. */
export const transferDestinationSchema = z.discriminatedUnion('type', [
  numberDestinationSchema,
  sipDestinationSchema,
  assistantDestinationSchema,
]);
/** handoff-destination-request: the SDK types the destination as an open object; VAPI hands off to an assistant. */
export const handoffDestinationSchema = z.looseObject({
  type: z.literal('assistant'),
  assistantName: z.string().min(1).max(200).optional(),
  assistantId: z.string().min(1).max(200).optional(),
});

export type TransferDestination = z.output<typeof transferDestinationSchema>;
export type HandoffDestination = z.output<typeof handoffDestinationSchema>;
