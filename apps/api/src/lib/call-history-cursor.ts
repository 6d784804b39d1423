import { z } from 'zod';

/** Keyset position in a customer's history: the last row's creation time (as stored) and call id. */
const cursorSchema = z.object({ createdAt: z.string().min(1), callId: z.string().min(1) });
export type CallHistoryCursor = z.output<typeof cursorSchema>;

export function encodeCursor(cursor: CallHistoryCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Undefined for anything this server did not hand out. */
export function decodeCursor(text: string): CallHistoryCursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success && !Number.isNaN(Date.parse(parsed.data.createdAt)) ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
