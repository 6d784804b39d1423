import type { SanitizeNotes } from './sanitize-notes.ts';

// Four-digit years only: JavaScript writes years past 9999 as "+275760-…", which Postgres cannot read,
// and Postgres's own range ends at 4713 BC.
const EARLIEST_MS = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');
/** Epoch values above this are milliseconds (VAPI sends ms; some senders seconds). */
const MILLISECONDS_THRESHOLD = 1e11;

/**
 * A VAPI time (epoch number or ISO string) as a Date Postgres can store; undefined when absent or
 * unreadable, and when out of range, which is noted.
 */
export function readVapiDate(
  value: number | string | undefined,
  notes: SanitizeNotes,
  path: string,
): Date | undefined {
  if (value === undefined) return undefined;
  const ms =
    typeof value === 'number' ? (value > MILLISECONDS_THRESHOLD ? value : value * 1000) : Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  if (ms < EARLIEST_MS || ms > LATEST_MS) {
    notes.add(path, 'date-out-of-range');
    return undefined;
  }
  return new Date(ms);
}
