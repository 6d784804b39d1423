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

/** PostgREST filter for the rows after `cursor` in (created_at desc, call_id desc) order. */
export function afterCursorFilter(cursor: CallHistoryCursor): string {
  // Quoted: PostgREST's filter syntax reserves commas and parentheses, which ids may contain.
  const at = JSON.stringify(cursor.createdAt);
  return `created_at.lt.${at},and(created_at.eq.${at},call_id.lt.${JSON.stringify(cursor.callId)})`;
}

/** A page from `limit + 1` rows read in keyset order, with the cursor to the next page if there is one. */
export function keysetPage<Row extends { created_at: string; call_id: string }>(
  rows: Row[],
  limit: number,
): { visible: Row[]; nextCursor: string | null } {
  const visible = rows.slice(0, limit);
  const last = visible.at(-1);
  return {
    visible,
    nextCursor:
      rows.length > limit && last ? encodeCursor({ createdAt: last.created_at, callId: last.call_id }) : null,
  };
}
