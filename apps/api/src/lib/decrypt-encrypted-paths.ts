import { constants, type KeyObject, privateDecrypt } from 'node:crypto';
import type { SanitizeNotes } from './sanitize-notes.ts';

/**
 * VAPI's PublicKeyEncryptionPlan (RSA-OAEP-256) encrypts the values at the server's `encryptedPaths`
 * before it sends a message. The SDK names the algorithm and the key format (SPKI PEM) but not the wire
 * format, so this reads what is most plausible, stated here and in docs/vapi-setup.md:
 *   - a path is dot-separated from the body's root (`message.call.customer.number`); a leading `$.` is
 *     dropped, a numeric segment indexes an array, `*` is every element or key. A path whose first
 *     segment is not at the root is also tried under `message` (in case VAPI counts from the message);
 *   - the value there is a string: base64 (or base64url) of RSAES-OAEP with SHA-256 and MGF1-SHA-256
 *     over the UTF-8 text of the value;
 *   - the decrypted text is taken as JSON when it starts with `{`, `[` or `"` (a value that was not a
 *     string), otherwise as the string itself, so a number-like phone number stays a string.
 * A value that does not decrypt is kept as received and noted (`decryption-failed`); without a key every
 * value found at a path is kept and noted (`encrypted-value-kept`). Where such values are is answered
 * too (`kept`), so the call row can be mapped without them: ciphertext is never a customer's number.
 */
export interface DecryptionSettings {
  privateKey?: KeyObject;
  paths: readonly string[];
}

type Json = unknown;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

function segmentsOf(path: string): string[] {
  return path
    .replace(/^\$\.?/, '')
    .replace(/\[(\d+|\*)\]/g, '.$1')
    .split('.')
    .filter(Boolean);
}

function decryptValue(value: Json, key: KeyObject): { ok: true; value: Json } | { ok: false } {
  if (typeof value !== 'string' || !BASE64.test(value)) return { ok: false };
  let text: string;
  try {
    text = privateDecrypt(
      { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64'),
    ).toString('utf8');
  } catch {
    return { ok: false };
  }
  if (/^[[{"]/.test(text)) {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      return { ok: true, value: text };
    }
  }
  return { ok: true, value: text };
}

/** JSONPath-like, as the sanitize notes write locations (`$.message.call.id`, `$.list[0]`). */
function location(at: readonly (string | number)[]): string {
  return at.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${part}]` : `${text}.${part}`),
    '$',
  );
}

export type ValueLocation = readonly (string | number)[];

export interface DecryptedPayload {
  payload: Json;
  /** Where a value at an encrypted path is still as VAPI sent it (no key, or it did not decrypt). */
  kept: ValueLocation[];
}

/**
 * A copy of `payload` with the values at `settings.paths` decrypted; the input is not changed. Values
 * that cannot be decrypted stay as they are, are noted in `notes` and listed in `kept`.
 */
export function decryptEncryptedPaths(
  payload: Json,
  settings: DecryptionSettings,
  notes: SanitizeNotes,
): DecryptedPayload {
  const kept: ValueLocation[] = [];
  if (settings.paths.length === 0 || payload === null || typeof payload !== 'object')
    return { payload, kept };
  const root = structuredClone(payload) as Record<string, Json>;
  const done = new Set<string>();

  const visit = (container: Json, segments: readonly string[], at: (string | number)[]) => {
    if (container === null || typeof container !== 'object') return;
    const [head, ...rest] = segments;
    if (head === undefined) return;
    const record = container as Record<string | number, Json>;
    const keys: (string | number)[] = Array.isArray(container)
      ? head === '*'
        ? container.map((_item, index) => index)
        : /^\d+$/.test(head) && Number(head) < container.length
          ? [Number(head)]
          : []
      : head === '*'
        ? Object.keys(container)
        : Object.hasOwn(container, head)
          ? [head]
          : [];
    for (const key of keys) {
      const here = [...at, key];
      if (rest.length > 0) {
        visit(record[key], rest, here);
        continue;
      }
      const where = location(here);
      // Two paths naming the same value must not decrypt it twice.
      if (done.has(where) || record[key] === null || record[key] === undefined) continue;
      done.add(where);
      if (!settings.privateKey) {
        notes.add(where, 'encrypted-value-kept');
        kept.push(here);
        continue;
      }
      const decrypted = decryptValue(record[key], settings.privateKey);
      if (decrypted.ok) record[key] = decrypted.value;
      else {
        notes.add(where, 'decryption-failed');
        kept.push(here);
      }
    }
  };

  for (const path of settings.paths) {
    const segments = segmentsOf(path);
    const [first] = segments;
    if (first === undefined) continue;
    if (Object.hasOwn(root, first) || first === '*') visit(root, segments, []);
    else visit(root.message, segments, ['message']);
  }
  return { payload: root, kept };
}

/**
 * `payload` without the values at `locations`, copying only the objects on the way to them: the rest
 * stays the same objects, so fields-in-payload still recognises the payload's own values.
 */
export function withoutValuesAt(payload: Json, locations: readonly ValueLocation[]): Json {
  let result = payload;
  for (const location of locations) result = without(result, location);
  return result;
}

function without(node: Json, location: ValueLocation): Json {
  const [head, ...rest] = location;
  if (head === undefined || node === null || typeof node !== 'object') return node;
  const container = node as Record<string | number, Json>;
  if (!Object.hasOwn(container, head)) return node;
  if (Array.isArray(node)) {
    const copy = [...node];
    copy[head as number] = rest.length === 0 ? null : without(copy[head as number], rest);
    return copy;
  }
  const copy = { ...(node as Record<string, Json>) };
  if (rest.length === 0) delete copy[head];
  else copy[head] = without(copy[head], rest);
  return copy;
}
