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

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | undefined;
  key: string | number;
  assign: (clean: unknown) => void;
}

function pathOf(frame: Frame): string {
  const keys: Array<string | number> = [];
  for (let at: Frame | undefined = frame; at?.parent; at = at.parent) keys.push(at.key);
  return `$${keys
    .reverse()
    .map((key) =>
      typeof key === 'number'
        ? `[${key}]`
        : /^[A-Za-z_$][\w$]*$/.test(key)
          ? `.${key}`
          : `[${JSON.stringify(key)}]`,
    )
    .join('')}`;
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // A `__proto__` key from JSON.parse is an own property; plain assignment would set the prototype.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A copy of a parsed delivery that Postgres will store: NUL removed from strings and keys, lone
 * surrogates replaced with U+FFFD, subtrees below MAX_PAYLOAD_DEPTH replaced by a marker, and
 * credential-looking values redacted. Iterative, so no nesting depth can overflow the stack.
 */
export function sanitizeVapiPayload(payload: unknown, notes: SanitizeNotes): unknown {
  let result: unknown;
  const stack: Frame[] = [
    { value: payload, depth: 0, parent: undefined, key: '', assign: (clean) => (result = clean) },
  ];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    const { value } = frame;
    const current = frame;
    if (typeof value === 'string') {
      frame.assign(cleanString(value, notes, () => pathOf(current)));
      continue;
    }
    if (value === null || typeof value !== 'object') {
      frame.assign(value);
      continue;
    }
    if (frame.depth >= MAX_PAYLOAD_DEPTH) {
      notes.add(pathOf(frame), 'too-deep');
      frame.assign(TOO_DEEP_MARKER);
      continue;
    }
    const visit = (child: unknown, key: string | number, assign: (clean: unknown) => void) =>
      stack.push({ value: child, depth: current.depth + 1, parent: current, key, assign });
    if (Array.isArray(value)) {
      const copy: unknown[] = new Array(value.length);
      frame.assign(copy);
      value.forEach((item, index) => {
        visit(item, index, (clean) => {
          copy[index] = clean;
        });
      });
      continue;
    }
    const copy: Record<string, unknown> = {};
    frame.assign(copy);
    for (const [rawKey, inner] of Object.entries(value)) {
      const key = cleanString(rawKey, notes, () => `${pathOf(current)}[${JSON.stringify(rawKey)}]`);
      if (isSecretKey(key) && inner !== null && inner !== '') {
        setOwn(copy, key, REDACTED);
        continue;
      }
      // Placed now, filled when popped: keeps the keys in their received order.
      setOwn(copy, key, undefined);
      visit(inner, key, (clean) => setOwn(copy, key, clean));
    }
  }
  return result;
}
