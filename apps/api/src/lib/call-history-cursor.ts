import { z } from 'zod';
import { MAX_CALL_ID_LENGTH, withoutNul } from '../schemas/call-route-schemas.ts';

/** Keyset position in a customer's history: the last row's creation time (as stored) and call id. */
const cursorSchema = z.object({
  createdAt: z.iso.datetime({ offset: true }),
  callId: z.string().min(1).max(MAX_CALL_ID_LENGTH).refine(withoutNul),
});
export type CallHistoryCursor = z.output<typeof cursorSchema>;

export function encodeCursor(cursor: CallHistoryCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Undefined for anything this server did not hand out. */
export function decodeCursor(text: string): CallHistoryCursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
