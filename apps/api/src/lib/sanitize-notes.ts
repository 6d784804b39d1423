/** Why a value in an authentic delivery was changed before it was stored. */
export type SanitizeReason =
  | 'nul-removed'
  | 'lone-surrogate-replaced'
  | 'too-deep'
  | 'date-out-of-range'
  | 'call-id-too-long'
  | 'value-too-long'
  /** At one of VAPI_ENCRYPTED_PATHS, with no VAPI_ENCRYPTION_PRIVATE_KEY: stored as received. */
  | 'encrypted-value-kept'
  /** At one of VAPI_ENCRYPTED_PATHS, but not RSA-OAEP-256 ciphertext for the configured key: stored as received. */
  | 'decryption-failed';

/** One change, with where it was made: a JSONPath-like location in the delivery (`$.message.call.id`). */
export interface SanitizeNote {
  path: string;
  reason: SanitizeReason;
}

/** Enough to tell what happened; a hostile payload must not make the record of it unbounded too. */
export const MAX_SANITIZE_NOTES = 50;

/** Collects notes up to the cap and counts the rest. */
export class SanitizeNotes {
  readonly notes: SanitizeNote[] = [];
  dropped = 0;
  /** Credential values replaced: changes too, but not noted, so the record does not point at them. */
  redactions = 0;

  add(path: string, reason: SanitizeReason): void {
    if (this.notes.length < MAX_SANITIZE_NOTES) this.notes.push({ path, reason });
    else this.dropped += 1;
  }

  /** Nothing was changed, noted or not. */
  isEmpty(): boolean {
    return this.notes.length === 0 && this.dropped === 0 && this.redactions === 0;
  }

  /** What goes on the event row: null when nothing was changed. */
  toRecord(): { changes: SanitizeNote[]; more: number } | null {
    if (this.notes.length === 0) return null;
    return { changes: this.notes, more: this.dropped };
  }
}
