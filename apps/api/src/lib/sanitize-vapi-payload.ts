import { isSecretKey, REDACTED } from './redact-vapi-payload.ts';
import type { SanitizeNotes } from './sanitize-notes.ts';

/**
 * Deeper than any VAPI message (about a dozen levels) by a wide margin, and shallow enough for
 * Postgres's jsonb parser and for anything downstream that recurses.
 */
export const MAX_PAYLOAD_DEPTH = 64;
export const TOO_DEEP_MARKER = '[too deep]';

/** Postgres text and jsonb refuse NUL; PostgREST refuses a lone UTF-16 surrogate as invalid JSON. */
export function cleanString(value: string, notes: SanitizeNotes, path: () => string): string {
  let clean = value;
  if (clean.includes('\u0000')) {
    clean = clean.replaceAll('\u0000', '');
    notes.add(path(), 'nul-removed');
  }
  if (!clean.isWellFormed()) {
    clean = clean.toWellFormed();
    notes.add(path(), 'lone-surrogate-replaced');
  }
  return clean;
}

function isClean(value: string): boolean {
  return !value.includes('\u0000') && value.isWellFormed();
}

interface Frame {
  container: Record<string, unknown> | unknown[];
  depth: number;
  parent: Frame | undefined;
  key: string | number;
}

function keyPath(key: string | number): string {
  if (typeof key === 'number') return `[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function pathOf(frame: Frame | undefined, key?: string | number): string {
  const parts: string[] = key === undefined ? [] : [keyPath(key)];
  for (let at = frame; at?.parent; at = at.parent) parts.push(keyPath(at.key));
  return `$${parts.reverse().join('')}`;
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // A `__proto__` key from JSON.parse is an own property; plain assignment would set the prototype.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Re-adds every key in its received order, NUL and lone surrogates cleaned from the names. */
function cleanKeys(
  target: Record<string, unknown>,
  keys: string[],
  frame: Frame,
  notes: SanitizeNotes,
): void {
  const entries = keys.map((key) => [key, target[key]] as const);
  for (const key of keys) delete target[key];
  for (const [rawKey, value] of entries) {
    const key = cleanString(rawKey, notes, () => `${pathOf(frame)}[${JSON.stringify(rawKey)}]`);
    setOwn(target, key, value);
  }
}

function allClean(keys: string[]): boolean {
  for (const key of keys) if (!isClean(key)) return false;
  return true;
}

/**
 * Makes a parsed delivery storable by Postgres, in place (the caller's freshly parsed copy; nothing
 * else holds it): NUL removed from strings and keys, lone surrogates replaced with U+FFFD, subtrees
 * below MAX_PAYLOAD_DEPTH replaced by a marker, and credential-looking values redacted. One iterative
 * pass that writes only what changes, so no nesting depth can overflow the stack and a clean 20 KB
 * report costs a read, not a copy. A clean string costs two scans and no allocation: a value's path is
 * only built once something at it has to change.
 */
export function sanitizeVapiPayload(payload: unknown, notes: SanitizeNotes): unknown {
  if (typeof payload === 'string') return cleanString(payload, notes, () => '$');
  if (payload === null || typeof payload !== 'object') return payload;
  const stack: Frame[] = [{ container: payload as Frame['container'], depth: 0, parent: undefined, key: '' }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    const { container } = frame;
    const childDepth = frame.depth + 1;
    if (Array.isArray(container)) {
      for (let index = 0; index < container.length; index++) {
        const replacement = cleanChild(container[index], index, frame, childDepth, stack, notes);
        if (replacement !== undefined) container[index] = replacement;
      }
      continue;
    }
    let keys = Object.keys(container);
    if (!allClean(keys)) {
      cleanKeys(container, keys, frame, notes);
      keys = Object.keys(container);
    }
    for (const key of keys) {
      const value = container[key];
      let replacement: unknown;
      if (isSecretKey(key) && value !== null && value !== '') {
        replacement = REDACTED;
        notes.redactions += 1;
      } else replacement = cleanChild(value, key, frame, childDepth, stack, notes);
      if (replacement !== undefined) setOwn(container, key, replacement);
    }
  }
  return payload;
}

/** A child's cleaned value, or undefined to keep it (a container is pushed to visit later). */
function cleanChild(
  value: unknown,
  key: string | number,
  parent: Frame,
  depth: number,
  stack: Frame[],
  notes: SanitizeNotes,
): unknown {
  if (typeof value === 'string') {
    if (isClean(value)) return undefined;
    return cleanString(value, notes, () => pathOf(parent, key));
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_PAYLOAD_DEPTH) {
    notes.add(pathOf(parent, key), 'too-deep');
    return TOO_DEEP_MARKER;
  }
  stack.push({ container: value as Frame['container'], depth, parent, key });
  return undefined;
}
