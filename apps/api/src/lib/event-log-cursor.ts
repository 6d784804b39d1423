import { z } from 'zod';

/** Keyset position in the delivery log: the last listed event's id (ids only grow, so new ones never shift a page). */
const cursorSchema = z.object({ before: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
export type EventLogCursor = z.output<typeof cursorSchema>;

export function encodeEventCursor(cursor: EventLogCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Undefined for anything this server did not hand out. */
export function decodeEventCursor(text: string): EventLogCursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
