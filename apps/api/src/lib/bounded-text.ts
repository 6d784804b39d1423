import { createHash } from 'node:crypto';
import { MAX_CALL_ID_LENGTH } from '../schemas/call-route-schemas.ts';
import type { SanitizeNotes } from './sanitize-notes.ts';

/** Indexed text columns (status, numbers, event type): a btree entry must stay far below 2.7 kB. */
export const MAX_INDEXED_TEXT_LENGTH = 200;

/**
 * The key a call is stored under. VAPI call ids are UUIDs; an id over MAX_CALL_ID_LENGTH would not fit
 * the indexes, so it is keyed by its SHA-256 (`sha256:<hex>`): deterministic, so every delivery for
 * that call still lands on one row, and readable through GET /calls/sha256:<hex>.
 */
export function callKey(callId: string, notes: SanitizeNotes): string {
  if (callId.length <= MAX_CALL_ID_LENGTH) return callId;
  notes.add('$.message.call.id', 'call-id-too-long');
  return `sha256:${createHash('sha256').update(callId).digest('hex')}`;
}

/** Text bound for an indexed column: cut, and noted. */
export function boundedText(value: string, notes: SanitizeNotes, path: string): string;
export function boundedText(
  value: string | undefined,
  notes: SanitizeNotes,
  path: string,
): string | undefined;
export function boundedText(value: string | undefined, notes: SanitizeNotes, path: string) {
  if (value === undefined || value.length <= MAX_INDEXED_TEXT_LENGTH) return value;
  notes.add(path, 'value-too-long');
  return value.slice(0, MAX_INDEXED_TEXT_LENGTH);
}
