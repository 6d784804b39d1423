import type { ReadKeyAccess } from '@callbridge/contracts';

export interface ReadKeyFormValues {
  name: string;
  sourceIds: string[];
  /** `read+write` also lets the key replay deliveries and delete a call's data; unset: `read`. */
  access?: ReadKeyAccess;
  /** A date input's value (YYYY-MM-DD), or '' for a key that does not expire. */
  expiresOn: string;
}

export interface CreateReadKeyBody {
  name: string;
  sourceIds: string[];
  access?: ReadKeyAccess;
  expiresAt?: string;
}

export type ReadKeyFormResult = { ok: true; body: CreateReadKeyBody } | { ok: false; error: string };

/**
 * The POST /api/v1/admin/read-keys body. An expiry date means the key works through that whole day
 * in the operator's time zone, so it expires at the start of the next local day.
 */
export function readKeyCreateBody(values: ReadKeyFormValues, now: Date = new Date()): ReadKeyFormResult {
  const name = values.name.trim();
  if (!name) return { ok: false, error: 'Give the key a name.' };
  if (values.sourceIds.length === 0) return { ok: false, error: 'Pick at least one source it may read.' };
  const base = {
    name,
    sourceIds: values.sourceIds,
    ...(values.access === 'read+write' ? { access: values.access } : {}),
  };
  if (!values.expiresOn) return { ok: true, body: base };
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(values.expiresOn);
  if (!match) return { ok: false, error: 'The expiry must be a date.' };
  const expiresAt = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1);
  if (expiresAt <= now) return { ok: false, error: 'The expiry date has passed.' };
  return { ok: true, body: { ...base, expiresAt: expiresAt.toISOString() } };
}
